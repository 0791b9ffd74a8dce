using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace OpenChat.Tests.Browser;

/// <summary>One simulated user: a private browser context with the chat page open, and the page's landmarks.</summary>
public sealed class ChatPage : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly ConcurrentQueue<string> _scriptErrors = new();
    private readonly ConcurrentQueue<string> _consoleErrors = new();

    private ChatPage(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.PageError += (_, error) => _scriptErrors.Enqueue(error);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                _consoleErrors.Enqueue($"{message.Text} ({message.Location})");
            }
        };
    }

    public IPage Page { get; }

    /// <summary>Uncaught exceptions thrown by the page's scripts so far.</summary>
    public IReadOnlyCollection<string> ScriptErrors => _scriptErrors.ToArray();

    /// <summary>Errors the browser logged: failed loads, CSP violations, script errors.</summary>
    public IReadOnlyCollection<string> ConsoleErrors => _consoleErrors.ToArray();

    public ILocator StatusBar => Page.Locator("#status-bar");

    public ILocator Status => Page.Locator("#status");

    /// <summary>"via websocket": shown only while connected.</summary>
    public ILocator TransportLabel => Page.Locator("#transport-label");

    public ILocator Transport => Page.Locator("#transport");

    public ILocator NameInput => Page.Locator("#name-input");

    public ILocator MessageInput => Page.Locator("#message-input");

    public ILocator SendButton => Page.Locator("#send-button");

    public ILocator LeaveButton => Page.Locator("#leave-button");

    public ILocator LeftNotice => Page.Locator("#left-notice");

    public ILocator RejoinButton => Page.Locator("#rejoin-button");

    public ILocator ComposerError => Page.Locator("#composer-error");

    /// <summary>The current channel's timeline (the one scrolling list shown).</summary>
    public ILocator MessageList => Page.Locator("#messages ul.timeline:not([hidden])");

    /// <summary>Chat bubbles of the current channel, own and others', in display order.</summary>
    public ILocator Messages => MessageList.Locator("li.message");

    public ILocator OwnMessages => MessageList.Locator("li.message--own");

    public ILocator OthersMessages => MessageList.Locator("li.message:not(.message--own)");

    /// <summary>Join, leave and rename lines (shown in #general).</summary>
    public ILocator SystemLines => MessageList.Locator("li.system");

    /// <summary>"Loading older messages…" or "This is the start of #x." at the top of the timeline.</summary>
    public ILocator HistoryEdge => MessageList.Locator("li.history-edge");

    public ILocator ChannelTitle => Page.Locator("#channel-title");

    /// <summary>Every channel's button in the sidebar, in order.</summary>
    public ILocator ChannelNames => Page.Locator("#channel-list .channel .channel-name");

    public ILocator ChannelInput => Page.Locator("#channel-input");

    public ILocator ChannelError => Page.Locator("#channel-error");

    public ILocator UserNames => Page.Locator("#users .user-name");

    public ILocator UserCount => Page.Locator("#user-count");

    /// <summary>"Not connected" / "Reconnecting…" in place of the online list.</summary>
    public ILocator UsersOffline => Page.Locator("#users-offline");

    /// <summary>The sign-in / create-account form on the welcome screen.</summary>
    public ILocator AccountForm => Page.Locator("#account-form");

    public ILocator AccountFormError => Page.Locator("#account-form-error");

    /// <summary>Shown in the header while signed in.</summary>
    public ILocator AccountMenu => Page.Locator("#account-menu");

    public ILocator AccountName => Page.Locator("#account-name");

    /// <summary>The signed-in user's own picture or initials, in the header.</summary>
    public ILocator AccountAvatar => Page.Locator("#account-avatar .avatar");

    public ILocator AccountError => Page.Locator("#account-error");

    public ILocator NameError => Page.Locator("#name-error");

    public IBrowserContext Context => _context;

    /// <summary>The online list's entry of a user, by name.</summary>
    public ILocator OnlineUser(string name) =>
        Page.Locator("#users li").Filter(new LocatorFilterOptions { Has = Page.Locator(".user-name", new PageLocatorOptions { HasTextRegex = new Regex("^" + Regex.Escape(name) + "$") }) });

    /// <summary>Creates an account with the welcome screen's form; the page reloads into the chat as that user.</summary>
    public async Task SignUpAsync(string name, string password)
    {
        await FillCredentialsAsync(name, password);
        await ReloadingAsync(() => Page.Locator("#sign-up-button").ClickAsync());
        await Expect(Status).ToHaveTextAsync("connected");
        await Expect(AccountName).ToHaveTextAsync(name.Trim());
    }

    /// <summary>Signs in with the welcome screen's form; the page reloads into the chat as that user.</summary>
    public async Task SignInAsync(string name, string password)
    {
        await FillCredentialsAsync(name, password);
        await ReloadingAsync(() => Page.Locator("#sign-in-button").ClickAsync());
        await Expect(Status).ToHaveTextAsync("connected");
    }

    /// <summary>Fills the account form (the welcome screen must be showing).</summary>
    public async Task FillCredentialsAsync(string name, string password)
    {
        await Page.Locator("#account-name-input").FillAsync(name);
        await Page.Locator("#password-input").FillAsync(password);
    }

    /// <summary>Signs out from the header; the page reloads to the welcome screen.</summary>
    public async Task SignOutAsync()
    {
        await ReloadingAsync(() => Page.Locator("#sign-out-button").ClickAsync());
        await Expect(AccountForm).ToBeVisibleAsync();
    }

    /// <summary>Runs an action after which the page reloads itself, and waits until the new page is loaded.</summary>
    public async Task ReloadingAsync(Func<Task> action)
    {
        await Page.RunAndWaitForResponseAsync(action, r => r.Request.IsNavigationRequest);

        // The new document's own markup and scripts, not every picture it then fetches (which a loaded machine
        // can hold up); what the test looks for next is waited for by its own assertion.
        await Page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
    }

    /// <summary>Chooses a file for the header's picture input, as a user picking it in the file dialog.</summary>
    public Task ChoosePictureAsync(string fileName, string mimeType, byte[] bytes) =>
        Page.Locator("#avatar-input").SetInputFilesAsync(new FilePayload { Name = fileName, MimeType = mimeType, Buffer = bytes });

    /// <summary>Opens the chat page in a fresh context; <paramref name="query"/> is e.g. "?transports=polling".</summary>
    public static Task<ChatPage> OpenAsync(BrowserFixture browser, Uri baseUri, string query = "", ViewportSize? viewport = null) =>
        OpenAsync(browser.Browser, baseUri, query, viewport);

    /// <summary>Opens the chat page in a fresh context of a browser launched with other flags.</summary>
    public static async Task<ChatPage> OpenAsync(IBrowser browser, Uri baseUri, string query = "", ViewportSize? viewport = null)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = viewport ?? new ViewportSize { Width = 960, Height = 600 },
            Locale = "en-US",
        });
        context.SetDefaultTimeout((float)BrowserFixture.ActionTimeout.TotalMilliseconds);
        var page = await context.NewPageAsync();
        var chat = new ChatPage(context, page);
        await page.GotoAsync(new Uri(baseUri, "/" + query).ToString());
        return chat;
    }

    /// <summary>Submits the name form and waits until the page says it is connected.</summary>
    public async Task JoinAsync(string name)
    {
        await NameInput.FillAsync(name);
        await Page.Locator("#name-form button[type=submit]").ClickAsync();
        await Expect(Status).ToHaveTextAsync("connected");
    }

    /// <summary>Types a message and presses Enter, as most users do.</summary>
    public async Task SendAsync(string text)
    {
        await MessageInput.FillAsync(text);
        await MessageInput.PressAsync("Enter");
    }

    /// <summary>The sidebar button of a channel.</summary>
    public ILocator Channel(string name) =>
        Page.Locator("#channel-list .channel").Filter(new LocatorFilterOptions { Has = Page.Locator(".channel-name", new PageLocatorOptions { HasTextRegex = new Regex("^" + Regex.Escape(name) + "$") }) });

    /// <summary>The unread count of a channel's button (hidden when zero).</summary>
    public ILocator Unread(string name) => Channel(name).Locator(".unread");

    /// <summary>Creates a channel with the sidebar form and waits until the page shows it.</summary>
    public async Task CreateChannelAsync(string name)
    {
        await ChannelInput.FillAsync(name);
        await ChannelInput.PressAsync("Enter");
        await Expect(ChannelTitle).ToHaveTextAsync(name.StartsWith('#') ? name : "#" + name);
    }

    /// <summary>Switches to a channel by its sidebar button and waits until it is the one shown.</summary>
    public async Task SwitchToAsync(string name)
    {
        await Channel(name).ClickAsync();
        await Expect(ChannelTitle).ToHaveTextAsync(name);
        await Expect(MessageList).ToHaveAttributeAsync("data-channel", name);
    }

    /// <summary>The bubble whose text is exactly <paramref name="text"/>.</summary>
    public ILocator Bubble(string text) =>
        Messages.Filter(new LocatorFilterOptions { Has = Page.Locator(".text", new PageLocatorOptions { HasTextRegex = new Regex("^" + Regex.Escape(text) + "$") }) });

    /// <summary>Fails with every logged problem spelled out (xunit would cut a collection short).</summary>
    public void AssertNoErrors() => AssertNoErrorsBut();

    /// <summary>
    /// As <see cref="AssertNoErrors()"/>, except for refusals the test caused on purpose: Chromium logs every
    /// answer of 400 and above (say <c>"status of 401"</c>), and each such line is allowed once per entry.
    /// </summary>
    public void AssertNoErrorsBut(params string[] expectedRefusals)
    {
        var expected = expectedRefusals.ToList();
        var errors = ScriptErrors.Concat(ConsoleErrors.Where(e =>
        {
            var match = expected.FindIndex(x => e.Contains(x, StringComparison.Ordinal));
            if (match < 0)
            {
                return true;
            }

            expected.RemoveAt(match);
            return false;
        })).ToArray();
        Assert.True(errors.Length == 0, "The page reported errors:\n" + string.Join("\n", errors));
    }

    public async ValueTask DisposeAsync() => await _context.CloseAsync();
}
