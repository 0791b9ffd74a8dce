using System.Text.RegularExpressions;
using OpenChat.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OpenChat.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class ConnectionStatusTests(BrowserFixture browser)
{
    [Fact]
    public async Task The_status_is_right_before_joining_while_connected_after_leaving_and_after_rejoining()
    {
        await using var host = await ChatHost.StartAsync();
        await using var ana = await ChatPage.OpenAsync(browser, host.BaseUri);

        // Nothing connects before a name is chosen, so nothing claims to be disconnected (or names a transport).
        await Expect(ana.StatusBar).ToBeHiddenAsync();
        await Expect(ana.Status).ToBeHiddenAsync();
        await Expect(ana.TransportLabel).ToBeHiddenAsync();
        await Expect(ana.MessageInput).ToBeHiddenAsync();

        await ana.NameInput.FillAsync("Ana");
        await ana.NameInput.PressAsync("Enter");
        await Expect(ana.Status).ToHaveTextAsync("connected");
        await Expect(ana.Status).ToHaveAttributeAsync("data-state", "connected");
        await Expect(ana.Status).ToBeVisibleAsync();
        await Expect(ana.TransportLabel).ToBeVisibleAsync();
        await Expect(ana.Transport).ToHaveTextAsync(new Regex("^(polling|websocket)$"));
        await Expect(ana.MessageInput).ToBeEnabledAsync();
        await Expect(ana.MessageInput).ToBeFocusedAsync();
        await Expect(ana.UserCount).ToHaveTextAsync("1");
        await Expect(ana.UsersOffline).ToBeHiddenAsync();
        Assert.True(await ana.Page.EvaluateAsync<bool>("() => window.openChat.socket.connected"));

        // Left: disconnected, no transport beside it, and no "Online 0" pretending to know who is there.
        await ana.LeaveButton.ClickAsync();
        await Expect(ana.Status).ToHaveTextAsync("disconnected");
        await Expect(ana.TransportLabel).ToBeHiddenAsync();
        await Expect(ana.UserCount).ToBeHiddenAsync();
        await Expect(ana.UserNames).ToHaveCountAsync(0);
        await Expect(ana.UsersOffline).ToHaveTextAsync("Not connected");

        await ana.RejoinButton.ClickAsync();
        await Expect(ana.Status).ToHaveTextAsync("connected");
        await Expect(ana.TransportLabel).ToBeVisibleAsync();
        await Expect(ana.UserCount).ToHaveTextAsync("1");
        await Expect(ana.UsersOffline).ToBeHiddenAsync();
        ana.AssertNoErrors();
    }
}
