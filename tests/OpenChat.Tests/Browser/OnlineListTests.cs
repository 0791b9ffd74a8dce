using OpenChat.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OpenChat.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class OnlineListTests(BrowserFixture browser)
{
    [Fact]
    public async Task The_online_list_follows_joins_renames_and_leaves()
    {
        // Closing a tab is leaving, shown at once however long dropped connections are held.
        await using var host = await ChatHost.StartAsync(null, "--Chat:ReconnectGrace=00:02:00");
        await using var ana = await ChatPage.OpenAsync(browser, host.BaseUri);
        await ana.JoinAsync("Ana");
        await Expect(ana.UserNames).ToHaveTextAsync(["Ana"]);
        await Expect(ana.UserCount).ToHaveTextAsync("1");
        await Expect(ana.Page.Locator("#users li.user--you .user-name")).ToHaveTextAsync("Ana");
        await Expect(ana.SystemLines).ToHaveTextAsync(["Ana joined"]);

        var ben = await ChatPage.OpenAsync(browser, host.BaseUri);
        await using (ben)
        {
            await ben.JoinAsync("Ben");
            foreach (var page in new[] { ana, ben })
            {
                await Expect(page.UserNames).ToHaveTextAsync(["Ana", "Ben"]);
                await Expect(page.UserCount).ToHaveTextAsync("2");
            }

            await Expect(ana.SystemLines).ToHaveTextAsync(["Ana joined", "Ben joined"]);
            await Expect(ben.SystemLines).ToHaveTextAsync(["Ben joined"]);
            await Expect(ben.Page.Locator("#users li.user--you .user-name")).ToHaveTextAsync("Ben");

            // The page has no rename control once joined; the protocol's add_username is how a name changes.
            await ana.Page.EvaluateAsync("name => { window.openChat.socket.emit('add_username', name); }", "Anabel");
            foreach (var page in new[] { ana, ben })
            {
                await Expect(page.UserNames).ToHaveTextAsync(["Anabel", "Ben"]);
                await Expect(page.UserCount).ToHaveTextAsync("2");
                await Expect(page.SystemLines.Last).ToHaveTextAsync("Ana is now Anabel");
            }

            await Expect(ana.Page.Locator("#users li.user--you .user-name")).ToHaveTextAsync("Anabel");
            await Expect(ana.Page.Locator("#users .you")).ToHaveCountAsync(1);
        }

        // Closing Ben's browser context is a user closing the tab: the page disconnects on pagehide.
        await Expect(ana.UserNames).ToHaveTextAsync(["Anabel"]);
        await Expect(ana.UserCount).ToHaveTextAsync("1");
        await Expect(ana.SystemLines).ToHaveTextAsync(["Ana joined", "Ben joined", "Ana is now Anabel", "Ben left"]);
        ana.AssertNoErrors();
    }
}
