using OpenChat.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OpenChat.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class ChannelTests(BrowserFixture browser)
{
    private const string HostileChannel = "#<b>x</b> 'q' 😀";

    [Fact]
    public async Task Channels_are_created_switched_and_counted_unread_while_elsewhere()
    {
        await using var host = await ChatHost.StartAsync();
        var benOpening = ChatPage.OpenAsync(browser, host.BaseUri);
        await using var ana = await ChatPage.OpenAsync(browser, host.BaseUri);
        await using var ben = await benOpening;
        await ana.JoinAsync("Ana");
        await ben.JoinAsync("Ben");
        await Expect(ana.ChannelNames).ToHaveTextAsync(["#general"]);
        await Expect(ana.ChannelTitle).ToHaveTextAsync("#general");

        await ana.CreateChannelAsync("random");
        await Expect(ana.ChannelNames).ToHaveTextAsync(["#general", "#random"]);
        await Expect(ana.Channel("#random")).ToHaveAttributeAsync("aria-current", "true");
        await Expect(ana.HistoryEdge).ToHaveTextAsync("This is the start of #random.");
        await Expect(ben.ChannelNames).ToHaveTextAsync(["#general", "#random"]);

        await ana.SendAsync("first in random");
        await Expect(ana.Bubble("first in random")).ToHaveCountAsync(1);
        await Expect(ben.Unread("#random")).ToBeHiddenAsync(); // Ben has not joined it: nothing reaches him

        // Entering the channel shows what was said there before.
        await ben.SwitchToAsync("#random");
        await Expect(ben.Messages.Locator(".text")).ToHaveTextAsync(["first in random"]);
        await ben.SwitchToAsync("#general");
        await Expect(ben.Messages.Locator(".text")).ToHaveCountAsync(0);

        await ana.SendAsync("second in random");
        await ana.SendAsync("third in random");
        await Expect(ben.Unread("#random")).ToHaveTextAsync("2");
        await Expect(ben.Unread("#general")).ToBeHiddenAsync();
        await Expect(ben.Messages).ToHaveCountAsync(0);

        await ben.SwitchToAsync("#random");
        await Expect(ben.Messages.Locator(".text")).ToHaveTextAsync(["first in random", "second in random", "third in random"]);
        await Expect(ben.Unread("#random")).ToBeHiddenAsync();

        // Writing goes to the channel shown.
        await ben.SendAsync("reply in random");
        await Expect(ana.Bubble("reply in random")).ToHaveCountAsync(1);
        await ana.SwitchToAsync("#general");
        await Expect(ana.Messages).ToHaveCountAsync(0);
        await ben.SwitchToAsync("#general");
        await ben.SendAsync("back in general");
        await Expect(ana.Bubble("back in general")).ToHaveCountAsync(1);
        await Expect(ana.Unread("#random")).ToBeHiddenAsync();
        ana.AssertNoErrors();
        ben.AssertNoErrors();
    }

    [Fact]
    public async Task Channel_names_with_markup_quotes_and_emoji_are_shown_as_typed_and_refusals_are_explained()
    {
        await using var host = await ChatHost.StartAsync(null, "--Chat:MaxChannels=2");
        await using var ana = await ChatPage.OpenAsync(browser, host.BaseUri);
        await ana.JoinAsync("Ana");

        await ana.CreateChannelAsync(HostileChannel);
        await Expect(ana.ChannelNames).ToHaveTextAsync(["#general", HostileChannel]);
        Assert.Equal(HostileChannel, await ana.ChannelTitle.TextContentAsync());
        await ana.SendAsync("<img src=x onerror=\"window.__xss=1\">");
        await Expect(ana.Bubble("<img src=x onerror=\"window.__xss=1\">")).ToHaveCountAsync(1);
        await Expect(ana.Page.Locator("#channel-list b, #channel-title b, #messages img, #messages b")).ToHaveCountAsync(0);
        Assert.True(await ana.Page.EvaluateAsync<bool>("() => window.__xss === undefined"));

        await ana.ChannelInput.FillAsync("one too many");
        await ana.ChannelInput.PressAsync("Enter");
        await Expect(ana.ChannelError).ToHaveTextAsync("There are already 2 channels, the most this chat allows.");
        await Expect(ana.ChannelTitle).ToHaveTextAsync(HostileChannel);
        ana.AssertNoErrors();
    }
}
