using OpenChat.Chat;
using OpenChat.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OpenChat.Tests.Browser;

/// <summary>
/// Dropped connections and a restarted server. The page cannot be kept from reconnecting by timing, so a
/// browser context taken offline holds it away while others talk; then the gap must be filled, once.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ReconnectTests(BrowserFixture browser)
{
    public static TheoryData<string> Transports => new() { "", "?transports=polling" };

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task After_a_brief_drop_the_page_says_reconnecting_then_shows_what_it_missed_once_and_the_other_user_sees_no_leave_or_join(string query)
    {
        // A grace far longer than any reconnection here: the browser's backoff must not decide the outcome.
        await using var host = await ChatHost.StartAsync(null, "--Chat:ReconnectGrace=00:02:00");
        var benOpening = ChatPage.OpenAsync(browser, host.BaseUri, query);
        await using var ana = await ChatPage.OpenAsync(browser, host.BaseUri, query);
        await using var ben = await benOpening;
        await ana.JoinAsync("Ana");
        await ben.JoinAsync("Ben");
        await ana.SendAsync("before the drop");
        await Expect(ben.Bubble("before the drop")).ToHaveCountAsync(1);
        await Expect(ana.SystemLines).ToHaveTextAsync(["Ana joined", "Ben joined"]);
        await Expect(ben.SystemLines).ToHaveTextAsync(["Ben joined"]);

        await ana.Page.Context.SetOfflineAsync(true);
        await ana.Page.EvaluateAsync("() => window.openChat.socket.io.engine.close()");
        await Expect(ana.Status).ToHaveTextAsync("reconnecting…");
        await Expect(ana.Status).ToHaveAttributeAsync("data-state", "reconnecting");
        await Expect(ana.TransportLabel).ToBeHiddenAsync();
        await Expect(ana.MessageInput).ToBeDisabledAsync();
        await Expect(ana.UsersOffline).ToHaveTextAsync("Reconnecting…");
        if (query == "")
        {
            // The WebSocket's end reaches the server, which holds her leave. A poll left hanging by a network gone
            // offline tells it nothing: the server learns of the drop when she comes back on a new connection.
            await host.WaitUntilAsync(() => host.Get<HeldLeaves>().Count == 1);
        }

        await ben.SendAsync("missed one");
        await ben.SendAsync("missed two");
        await Expect(ben.Bubble("missed two")).ToHaveCountAsync(1);

        // Ana's leave is held back while she may come back: Ben's list still has her.
        await Expect(ben.UserNames).ToHaveTextAsync(["Ana", "Ben"]);

        await ana.Page.Context.SetOfflineAsync(false);
        await Expect(ana.Status).ToHaveTextAsync("connected", new() { Timeout = 20_000 });
        Assert.True(await ana.Page.EvaluateAsync<bool>("() => window.openChat.socket.recovered === true"));
        await Expect(ana.Messages.Locator(".text")).ToHaveTextAsync(["before the drop", "missed one", "missed two"]);
        await Expect(ana.UserNames).ToHaveTextAsync(["Ana", "Ben"]);
        await ben.SendAsync("live again");
        await Expect(ana.Messages.Locator(".text")).ToHaveTextAsync(["before the drop", "missed one", "missed two", "live again"]);

        // Nobody's view of the chat changed because of the drop: no "Ana left", no second "Ana joined", anywhere.
        await Expect(ana.SystemLines).ToHaveTextAsync(["Ana joined", "Ben joined"]);
        await Expect(ben.SystemLines).ToHaveTextAsync(["Ben joined"]);
        await Expect(ben.UserNames).ToHaveTextAsync(["Ana", "Ben"]);
        await Expect(ana.OwnMessages.Locator(".text")).ToHaveTextAsync(["before the drop"]);
        Assert.Equal(0, host.Get<HeldLeaves>().Count);
        Assert.Empty(ana.ScriptErrors);
        ben.AssertNoErrors();
    }

    [Fact]
    public async Task After_a_server_restart_the_page_reconnects_and_fills_the_gap_from_history()
    {
        // The second server must listen where the page already points, on the same history file.
        using var folder = new TempFolder();
        var urls = $"http://127.0.0.1:{FreePort.Find()}";
        ChatHost? first = await ChatHost.StartInAsync(folder.Path, "--urls", urls);
        ChatHost? second = null;
        try
        {
            var benOpening = ChatPage.OpenAsync(browser, first.BaseUri);
            await using var ana = await ChatPage.OpenAsync(browser, first.BaseUri);
            await using var ben = await benOpening;
            await ana.JoinAsync("Ana");
            await ben.JoinAsync("Ben");
            await ben.SendAsync("before the restart");
            await Expect(ana.Bubble("before the restart")).ToHaveCountAsync(1);

            await ana.Page.Context.SetOfflineAsync(true);
            await first.DisposeAsync().AsTask().WithTimeout();
            first = null;
            await Expect(ana.Status).ToHaveTextAsync("reconnecting…");
            await Expect(ben.Status).ToHaveTextAsync("reconnecting…");
            await Expect(ana.MessageInput).ToBeDisabledAsync();

            second = await ChatHost.StartInAsync(folder.Path, "--urls", urls);
            await Expect(ben.Status).ToHaveTextAsync("connected", new() { Timeout = 20_000 });
            await ben.SendAsync("while Ana was away");
            await Expect(ben.Bubble("while Ana was away")).ToHaveCountAsync(1);

            await ana.Page.Context.SetOfflineAsync(false);
            await Expect(ana.Status).ToHaveTextAsync("connected", new() { Timeout = 20_000 });
            await Expect(ana.Messages.Locator(".text")).ToHaveTextAsync(["before the restart", "while Ana was away"]);
            await Expect(ana.UserNames).ToHaveTextAsync(["Ben", "Ana"]);
            Assert.Equal(["Ben", "Ana"], second.Get<UserDirectory>().Names());

            await ana.SendAsync("I'm back");
            await Expect(ben.Bubble("I'm back")).ToHaveCountAsync(1);
            await Expect(ben.Messages.Locator(".text")).ToHaveTextAsync(["before the restart", "while Ana was away", "I'm back"]);

            // Refused connections while the server was away are logged, by design; script errors are not.
            Assert.Empty(ana.ScriptErrors);
            Assert.Empty(ben.ScriptErrors);
        }
        finally
        {
            if (first is not null)
            {
                await first.DisposeAsync();
            }

            if (second is not null)
            {
                await second.DisposeAsync();
            }
        }
    }
}
