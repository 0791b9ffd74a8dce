using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace OpenChat.Tests.Browser;

/// <summary>
/// One user of a page written for the original app (tests/OpenChat.Tests/Pages/SeedPage): it asks for a
/// name with <c>prompt</c>, logs each <c>usernames</c> list to the console and lists each <c>message</c>.
/// The Socket.IO script can be replaced by socket.io-client 2.5.0, and its transports forced.
/// </summary>
public sealed class SeedPageUser : IAsyncDisposable
{
    /// <summary>socket.io-client 2.5.0 as npm ships it (tests/node installs it as sio2); 2.x has only this build, already minified.</summary>
    public static readonly string Client2 = Path.Combine(RepositoryPaths.Root, "tests", "node", "node_modules", "sio2", "dist", "socket.io.js");

    private readonly IBrowserContext _context;
    private readonly ConcurrentQueue<string> _console = new();
    private readonly TaskCompletionSource _welcomed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SeedPageUser(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.Console += (_, message) =>
        {
            _console.Enqueue($"{message.Type}: {message.Text}");
            if (message.Text.StartsWith("usernames", StringComparison.Ordinal))
            {
                _welcomed.TrySetResult();
            }
        };
    }

    public IPage Page { get; }

    /// <summary>The listed messages, e.g. "Ana: hello".</summary>
    public ILocator Messages => Page.Locator("#messages li");

    /// <summary>What the page logged, as "type: text".</summary>
    public IReadOnlyCollection<string> Console => _console.ToArray();

    /// <summary>
    /// Opens <paramref name="url"/> as <paramref name="name"/> (the answer to the page's prompt) and waits for
    /// its first <c>usernames</c>. With <paramref name="client2"/> the page gets socket.io-client 2.5.0 in place
    /// of the script it asks for; <paramref name="transports"/> then replaces the options of its <c>io()</c>.
    /// </summary>
    public static async Task<SeedPageUser> OpenAsync(
        BrowserFixture browser, string url, string name, bool client2 = false, string[]? transports = null, Func<IPage, Task>? routes = null)
    {
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { Locale = "en-US" });
        context.SetDefaultTimeout((float)BrowserFixture.ActionTimeout.TotalMilliseconds);
        var page = await context.NewPageAsync();
        var user = new SeedPageUser(context, page);
        page.Dialog += async (_, dialog) => await dialog.AcceptAsync(name);
        if (client2)
        {
            await page.RouteAsync("**/socket.io.js", route => route.FulfillAsync(new RouteFulfillOptions { Path = Client2, ContentType = "application/javascript" }));
        }

        if (transports is not null)
        {
            await page.AddInitScriptAsync(ForceTransports(transports));
        }

        if (routes is not null)
        {
            await routes(page);
        }

        await page.GotoAsync(url);
        try
        {
            await user._welcomed.Task.WithTimeout();
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{name}'s page got no usernames list; it logged:{Environment.NewLine}{string.Join(Environment.NewLine, user.Console)}");
        }

        return user;
    }

    /// <summary>Types into the page's input and clicks its Send button (an onclick handler).</summary>
    public async Task SendAsync(string text)
    {
        await Page.FillAsync("#message", text);
        await Page.ClickAsync("#send");
    }

    public async ValueTask DisposeAsync() => await _context.CloseAsync();

    /// <summary>
    /// Wraps the global <c>io</c> the client script defines so every <c>io()</c> call gets these transports;
    /// an init script runs before the page's own and is not the page's inline code.
    /// </summary>
    private static string ForceTransports(string[] transports) => $$"""
        (() => {
          const transports = {{System.Text.Json.JsonSerializer.Serialize(transports)}};
          let real;
          Object.defineProperty(window, "io", {
            configurable: true,
            set(value) { real = value; },
            get() { return real && ((url, opts) => typeof url === "object" ? real({ ...url, transports }) : real(url, { ...opts, transports })); },
          });
        })();
        """;
}
