using OpenChat.Pages;
using OpenChat.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OpenChat.Tests.Browser;

/// <summary>
/// The page written for the original app, unchanged, dropped into a templates folder: its inline script and
/// onclick handlers run under the policy derived from it, with the app's own client and with socket.io-client
/// 2.5.0 over every transport, from the same origin and from an allowed foreign one. Code injected later
/// still cannot run.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SeedPageTests(BrowserFixture browser) : IDisposable
{
    private readonly TempFolder _templates = new();

    private async Task<ChatHost> StartAsync(params string[] args)
    {
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Pages", "SeedPage", "home.html"), _templates.File("home.html"));
        return await ChatHost.StartAsync(null, ["--" + PageEndpoints.TemplatesFolderSetting + "=" + _templates.Path, .. args]);
    }

    public static TheoryData<string?> Transports2 => new() { null, "websocket", "polling" };

    [Fact]
    public async Task The_seed_page_chats_with_its_inline_script_and_onclick_handlers_and_injected_code_stays_blocked()
    {
        await using var host = await StartAsync();
        await using var ana = await SeedPageUser.OpenAsync(browser, host.BaseUri.ToString(), "Ana");
        await using var ben = await SeedPageUser.OpenAsync(browser, host.BaseUri.ToString(), "Ben");

        await ana.SendAsync("hello from the seed page");
        await Expect(ben.Messages).ToHaveTextAsync(["Ana: hello from the seed page"]);
        await ben.Page.PressAsync("#message", "Enter");
        await ben.Page.FillAsync("#message", "and back");
        await ben.Page.PressAsync("#message", "Enter");
        await Expect(ana.Messages).ToHaveTextAsync(["Ana: hello from the seed page", "Ben: and back"]);
        Assert.DoesNotContain(ana.Console.Concat(ben.Console), line => line.Contains("Content Security Policy", StringComparison.Ordinal));

        var injected = await ana.Page.EvaluateAsync<bool>(
            "() => { const s = document.createElement('script'); s.textContent = 'window.injected = true'; document.body.append(s); return window.injected === true; }").WithTimeout();
        Assert.False(injected);
        await ana.Page.ClickAsync("#leave");
        await Expect(ben.Messages).ToHaveCountAsync(2);
    }

    [Theory]
    [MemberData(nameof(Transports2))]
    public async Task The_seed_page_with_socket_io_client_2_chats_with_a_page_on_the_current_client(string? transport)
    {
        await using var host = await StartAsync();
        await using var old = await SeedPageUser.OpenAsync(browser, host.BaseUri.ToString(), "Old", client2: true, transports: transport is null ? null : [transport]);
        await using var current = await SeedPageUser.OpenAsync(browser, host.BaseUri.ToString(), "New");

        await old.SendAsync("from 2.x é€😀");
        await Expect(current.Messages).ToHaveTextAsync(["Old: from 2.x é€😀"]);
        await current.SendAsync("from 4.x");
        await Expect(old.Messages).ToHaveTextAsync(["Old: from 2.x é€😀", "New: from 4.x"]);

        var engine = await old.Page.EvaluateAsync<string>("() => socket.io.engine.transport.name").WithTimeout();
        Assert.Equal(transport ?? "websocket", engine);
        Assert.Equal("3", await old.Page.EvaluateAsync<string>("() => String(socket.io.engine.transport.query.EIO)").WithTimeout());
    }

    [Theory]
    [MemberData(nameof(Transports2))]
    public async Task A_page_on_an_allowed_foreign_origin_chats_with_socket_io_client_2_and_credentials(string? transport)
    {
        // Another site as the browser sees it: another host name (localhost, not the app's 127.0.0.1) on a
        // port of its own, with the 2.x client among its own files, as a page that loads it from a CDN.
        await using var site = await ForeignSite.StartAsync(SeedPageUser.Client2);
        await using var host = await StartAsync("--SocketIO:Cors:AllowedOrigins:0=" + site.Origin);
        site.Page = File.ReadAllText(_templates.File("home.html"))
            .Replace("src=\"/socket.io/socket.io.js\"", "src=\"/js/socket.io.js\"", StringComparison.Ordinal)
            .Replace("io();", $"io(\"{host.BaseUri.ToString().TrimEnd('/')}\");", StringComparison.Ordinal);
        await using var foreign = await SeedPageUser.OpenAsync(browser, site.Origin + "/", "Far", transports: transport is null ? null : [transport]);
        await using var local = await SeedPageUser.OpenAsync(browser, host.BaseUri.ToString(), "Near");

        await foreign.SendAsync("from far away");
        await Expect(local.Messages).ToHaveTextAsync(["Far: from far away"]);
        await local.SendAsync("welcome");
        await Expect(foreign.Messages).ToHaveTextAsync(["Far: from far away", "Near: welcome"]);
        Assert.Equal(transport ?? "websocket", await foreign.Page.EvaluateAsync<string>("() => socket.io.engine.transport.name").WithTimeout());
    }

    public void Dispose() => _templates.Dispose();
}
