using OpenChat.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OpenChat.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class LeaveAndRejoinTests(BrowserFixture browser)
{
    [Fact]
    public async Task Leave_disconnects_and_rejoin_brings_the_user_back()
    {
        await using var host = await ChatHost.StartAsync();
        var benOpening = ChatPage.OpenAsync(browser, host.BaseUri); // pages start faster side by side
        await using var ana = await ChatPage.OpenAsync(browser, host.BaseUri);
        await using var ben = await benOpening;
        await ana.JoinAsync("Ana");
        await ben.JoinAsync("Ben");
        await Expect(ana.UserNames).ToHaveTextAsync(["Ana", "Ben"]);

        await ben.LeaveButton.ClickAsync();
        await Expect(ben.Status).ToHaveTextAsync("disconnected");
        await Expect(ben.TransportLabel).ToBeHiddenAsync();
        await Expect(ben.UserCount).ToBeHiddenAsync();
        await Expect(ben.LeftNotice).ToBeVisibleAsync();
        await Expect(ben.LeftNotice).ToContainTextAsync("You left the chat.");
        await Expect(ben.RejoinButton).ToBeVisibleAsync();
        await Expect(ben.LeaveButton).ToBeHiddenAsync();
        await Expect(ben.MessageInput).ToBeDisabledAsync();
        await Expect(ben.SendButton).ToBeDisabledAsync();

        await Expect(ana.UserNames).ToHaveTextAsync(["Ana"]);
        await Expect(ana.UserCount).ToHaveTextAsync("1");
        await Expect(ana.SystemLines.Last).ToHaveTextAsync("Ben left");

        // While Ben is away he hears nothing live...
        await ana.SendAsync("are you still there?");
        await Expect(ana.Bubble("are you still there?")).ToHaveCountAsync(1);
        await Expect(ben.Bubble("are you still there?")).ToHaveCountAsync(0);

        await ben.RejoinButton.ClickAsync();
        await Expect(ben.Status).ToHaveTextAsync("connected");
        await Expect(ben.LeftNotice).ToBeHiddenAsync();
        await Expect(ben.LeaveButton).ToBeVisibleAsync();
        await Expect(ben.MessageInput).ToBeEnabledAsync();
        foreach (var page in new[] { ana, ben })
        {
            await Expect(page.UserNames).ToHaveTextAsync(["Ana", "Ben"]);
            await Expect(page.UserCount).ToHaveTextAsync("2");
        }

        await Expect(ana.SystemLines).ToHaveTextAsync(["Ana joined", "Ben joined", "Ben left", "Ben joined"]);

        // ...and back, he finds what was said meanwhile in the history, once.
        await Expect(ben.Bubble("are you still there?")).ToHaveCountAsync(1);

        // After rejoining, Ben's messages are his own again (the socket id changed).
        await ben.SendAsync("back now");
        await Expect(ana.Bubble("back now")).ToHaveCountAsync(1);
        await Expect(ben.OwnMessages.Locator(".text")).ToHaveTextAsync(["back now"]);
        ana.AssertNoErrors();
        ben.AssertNoErrors();
    }
}
