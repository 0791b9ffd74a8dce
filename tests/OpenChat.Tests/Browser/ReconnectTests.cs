using System.Text.RegularExpressions;
using OpenChat.Chat;
using OpenChat.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OpenChat.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class ReconnectTests(BrowserFixture browser)
{
    [Fact]
    public async Task The_page_reconnects_by_itself_when_the_server_comes_back()
    {
        // The second server must listen where the page already points.
        var urls = $"http://127.0.0.1:{FreePort.Find()}";
        ChatHost? first = await ChatHost.StartAsync(null, "--urls", urls);
        ChatHost? second = null;
        try
        {
            await using var ana = await ChatPage.OpenAsync(browser, first.BaseUri);
            await ana.JoinAsync("Ana");
            await Expect(ana.UserNames).ToHaveTextAsync(["Ana"]);

            await first.DisposeAsync().AsTask().WithTimeout();
            first = null;
            await Expect(ana.Status).ToHaveTextAsync(new Regex("^(reconnecting|disconnected)$"));
            await Expect(ana.MessageInput).ToBeDisabledAsync();

            // The client starts retrying on its own while the server is still away.
            await Expect(ana.Status).ToHaveTextAsync("reconnecting");

            second = await ChatHost.StartAsync(null, "--urls", urls);
            await Expect(ana.Status).ToHaveTextAsync("connected", new() { Timeout = 20_000 });
            await Expect(ana.MessageInput).ToBeEnabledAsync();
            await Expect(ana.UserNames).ToHaveTextAsync(["Ana"]);
            Assert.Equal(["Ana"], second.Get<UserDirectory>().Names());

            await using var ben = await ChatPage.OpenAsync(browser, second.BaseUri);
            await ben.JoinAsync("Ben");
            await Expect(ben.UserNames).ToHaveTextAsync(["Ana", "Ben"]);
            await ana.SendAsync("I'm back");
            await Expect(ben.Bubble("I'm back")).ToHaveCountAsync(1);

            // Refused connections while the server was away are logged, by design; script errors are not.
            Assert.Empty(ana.ScriptErrors);
            ben.AssertNoErrors();
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
