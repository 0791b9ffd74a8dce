using System.Text.RegularExpressions;
using OpenChat.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OpenChat.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class ConnectionStatusTests(BrowserFixture browser)
{
    [Fact]
    public async Task The_status_says_connected_once_the_socket_is_up()
    {
        await using var host = await ChatHost.StartAsync();
        await using var ana = await ChatPage.OpenAsync(browser, host.BaseUri);

        // Nothing connects before a name is chosen.
        await Expect(ana.Status).ToHaveTextAsync("disconnected");
        await Expect(ana.MessageInput).ToBeHiddenAsync();

        await ana.NameInput.FillAsync("Ana");
        await ana.NameInput.PressAsync("Enter");
        await Expect(ana.Status).ToHaveTextAsync("connected");
        await Expect(ana.Status).ToHaveAttributeAsync("data-state", "connected");
        await Expect(ana.Status).ToBeVisibleAsync();
        await Expect(ana.Transport).ToHaveTextAsync(new Regex("^(polling|websocket)$"));
        await Expect(ana.MessageInput).ToBeEnabledAsync();
        await Expect(ana.MessageInput).ToBeFocusedAsync();
        Assert.True(await ana.Page.EvaluateAsync<bool>("() => window.openChat.socket.connected"));
        ana.AssertNoErrors();
    }
}
