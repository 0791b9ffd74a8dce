using OpenChat.Chat;
using OpenChat.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OpenChat.Tests.Browser;

/// <summary>Stored history in the page: the last 50 on entering, older pages on scrolling up, everything back after a reload.</summary>
[Collection(BrowserCollection.Name)]
public sealed class HistoryTests(BrowserFixture browser)
{
    private static readonly string[] Unlimited = ["--Chat:MessagesPerSecond=100000", "--Chat:MessageBurst=100000", "--Chat:MessagesPerSecondPerIp=0"];

    [Fact]
    public async Task Entering_shows_the_last_fifty_and_scrolling_up_loads_older_ones_until_the_start()
    {
        await using var host = await ChatHost.StartAsync(null, Unlimited);
        await using (var clients = NodeChatClients.Start(host.BaseUri))
        {
            await clients.ConnectAsync("ben", new { protocol = 2, name = "Ben" });
            for (var i = 1; i <= 120; i++)
            {
                await clients.EmitAsync("ben", ChatEvents.SendMessage, $"m{i}");
            }

            Assert.True(OpenChat.Tests.Chat.ChatJson.Ok(await clients.EmitWithAckAsync("ben", ChatEvents.SendMessage, "m121")));
        }

        await using var ana = await ChatPage.OpenAsync(browser, host.BaseUri);
        await ana.JoinAsync("Ana");
        await Expect(ana.Messages).ToHaveCountAsync(50);
        await Expect(ana.Messages.First.Locator(".text")).ToHaveTextAsync("m72");
        await Expect(ana.Messages.Last.Locator(".text")).ToHaveTextAsync("m121");
        await Expect(ana.Messages.Last).ToBeInViewportAsync();

        await ScrollToTopAsync(ana);
        await Expect(ana.Messages).ToHaveCountAsync(100);
        await Expect(ana.Messages.First.Locator(".text")).ToHaveTextAsync("m22");
        await ScrollToTopAsync(ana);
        await Expect(ana.Messages).ToHaveCountAsync(121);
        await Expect(ana.HistoryEdge).ToHaveTextAsync("This is the start of #general.");

        // Oldest first, each once; scrolling up again asks for nothing more.
        var texts = await ana.Messages.Locator(".text").AllTextContentsAsync();
        Assert.Equal(Enumerable.Range(1, 121).Select(i => $"m{i}"), texts);
        await ScrollToTopAsync(ana);
        await Expect(ana.Messages).ToHaveCountAsync(121);
        ana.AssertNoErrors();
    }

    [Fact]
    public async Task After_a_reload_the_conversation_own_messages_the_channel_and_unread_counts_are_all_back()
    {
        await using var host = await ChatHost.StartAsync();
        var benOpening = ChatPage.OpenAsync(browser, host.BaseUri);
        await using var ana = await ChatPage.OpenAsync(browser, host.BaseUri);
        await using var ben = await benOpening;
        await ana.JoinAsync("Ana");
        await ben.JoinAsync("Ben");
        await ana.SendAsync("mine, before the reload");
        await ben.SendAsync("his, before the reload");
        await Expect(ana.Messages).ToHaveCountAsync(2);
        await ana.CreateChannelAsync("#side");
        await ana.SendAsync("in side");
        await Expect(ana.Bubble("in side")).ToHaveCountAsync(1);

        await ana.Page.ReloadAsync();
        await ben.SendAsync("while Ana reloads");
        await ben.SendAsync("and another");
        await Expect(ben.Messages).ToHaveCountAsync(4);

        await Expect(ana.NameInput).ToHaveValueAsync("Ana");
        await ana.Page.Locator("#name-form button[type=submit]").ClickAsync();
        await Expect(ana.Status).ToHaveTextAsync("connected");

        // Back in the channel she was in, with her message there styled as hers.
        await Expect(ana.ChannelTitle).ToHaveTextAsync("#side");
        await Expect(ana.OwnMessages.Locator(".text")).ToHaveTextAsync(["in side"]);
        await Expect(ana.Unread("#general")).ToHaveTextAsync("2");

        await ana.SwitchToAsync("#general");
        await Expect(ana.Messages.Locator(".text")).ToHaveTextAsync(["mine, before the reload", "his, before the reload", "while Ana reloads", "and another"]);
        await Expect(ana.OwnMessages.Locator(".text")).ToHaveTextAsync(["mine, before the reload"]);
        await Expect(ana.Unread("#general")).ToBeHiddenAsync();
        ana.AssertNoErrors();
    }

    private static Task ScrollToTopAsync(ChatPage page) =>
        page.MessageList.EvaluateAsync("list => { list.scrollTop = 0; list.dispatchEvent(new Event('scroll')); }");
}
