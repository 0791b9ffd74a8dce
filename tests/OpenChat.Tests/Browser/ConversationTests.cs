using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OpenChat.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OpenChat.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class ConversationTests(BrowserFixture browser)
{
    [Fact]
    public async Task Two_users_see_each_others_bubbles_with_name_avatar_and_time()
    {
        await using var host = await ChatHost.StartAsync();
        var benOpening = ChatPage.OpenAsync(browser, host.BaseUri); // pages start faster side by side
        await using var ana = await ChatPage.OpenAsync(browser, host.BaseUri);
        await using var ben = await benOpening;
        await ana.JoinAsync("Ana");
        await ben.JoinAsync("Ben");

        // Enter sends, and so does the Send button.
        await ana.SendAsync("Hi Ben! Did the deploy go out?");
        await Expect(ben.Bubble("Hi Ben! Did the deploy go out?")).ToHaveCountAsync(1);
        await ben.MessageInput.FillAsync("Yes, ten minutes ago. All green.");
        await ben.SendButton.ClickAsync();
        await Expect(ana.Bubble("Yes, ten minutes ago. All green.")).ToHaveCountAsync(1);
        await ana.SendAsync("Great, thanks!");

        string[] conversation = ["Hi Ben! Did the deploy go out?", "Yes, ten minutes ago. All green.", "Great, thanks!"];
        foreach (var page in new[] { ana, ben })
        {
            await Expect(page.Messages.Locator(".text")).ToHaveTextAsync(conversation);
            await Expect(page.Messages.Locator(".author")).ToHaveTextAsync(["Ana", "Ben", "Ana"]);
            await Expect(page.Messages.Locator(".avatar")).ToHaveTextAsync(["A", "B", "A"]);
            await Expect(page.MessageInput).ToHaveValueAsync(string.Empty);
        }

        // Each side marks its own messages, and only those.
        await Expect(ana.OwnMessages.Locator(".text")).ToHaveTextAsync([conversation[0], conversation[2]]);
        await Expect(ana.OthersMessages.Locator(".text")).ToHaveTextAsync([conversation[1]]);
        await Expect(ben.OwnMessages.Locator(".text")).ToHaveTextAsync([conversation[1]]);
        await Expect(ben.OthersMessages.Locator(".text")).ToHaveTextAsync([conversation[0], conversation[2]]);

        await AssertOwnBubblesSitApart(ana, own: conversation[0], other: conversation[1]);
        await AssertOwnBubblesSitApart(ben, own: conversation[1], other: conversation[0]);
        await AssertTimestampIsVisibleAndRecent(ben.Bubble(conversation[0]));
        await AssertTimestampIsVisibleAndRecent(ana.Bubble(conversation[1]));

        await ana.Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(RepositoryPaths.Artifacts, "two-user-chat.png") });
        await ben.Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(RepositoryPaths.Artifacts, "two-user-chat-ben.png") });

        // The README embeds this one; a deliberate update means deleting it first.
        var readmeShot = Path.Combine(RepositoryPaths.Root, "docs", "screenshot.png");
        if (!File.Exists(readmeShot))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(readmeShot)!);
            await ana.Page.ScreenshotAsync(new PageScreenshotOptions { Path = readmeShot });
        }

        ana.AssertNoErrors();
        ben.AssertNoErrors();
    }

    [Fact]
    public async Task Empty_or_whitespace_input_is_not_sent()
    {
        await using var host = await ChatHost.StartAsync();
        await using var ana = await ChatPage.OpenAsync(browser, host.BaseUri);
        await ana.JoinAsync("Ana");

        await ana.MessageInput.FillAsync(string.Empty);
        await ana.MessageInput.PressAsync("Enter");
        await ana.SendButton.ClickAsync();
        await ana.MessageInput.FillAsync("   \t  ");
        await ana.MessageInput.PressAsync("Enter");
        await ana.SendButton.ClickAsync();

        // The sender gets her own messages back in order, so once this one shows, any blank one would have too.
        await ana.SendAsync("after the blanks");
        await Expect(ana.Messages.Locator(".text")).ToHaveTextAsync(["after the blanks"]);

        // Had a blank message reached the server, its refusal would show here.
        await Expect(ana.ComposerError).ToBeEmptyAsync();
    }

    private static async Task AssertOwnBubblesSitApart(ChatPage page, string own, string other)
    {
        var list = await BoxOf(page.MessageList);
        var ownBubble = page.Bubble(own).Locator(".bubble");
        var otherBubble = page.Bubble(other).Locator(".bubble");
        var ownBox = await BoxOf(ownBubble);
        var otherBox = await BoxOf(otherBubble);

        // Own bubbles hug the right edge of the list, others' the left edge (allowing for padding and the avatar).
        Assert.True(list.X + list.Width - (ownBox.X + ownBox.Width) < 80, $"own bubble ends at {ownBox.X + ownBox.Width}, the list at {list.X + list.Width}");
        Assert.True(otherBox.X - list.X < 80, $"other bubble starts at {otherBox.X}, the list at {list.X}");
        Assert.True(ownBox.X > otherBox.X, "own bubbles should sit to the right of others'");

        var ownBackground = await ownBubble.EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor");
        var otherBackground = await otherBubble.EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor");
        Assert.NotEqual(otherBackground, ownBackground);
    }

    private static async Task AssertTimestampIsVisibleAndRecent(ILocator bubble)
    {
        var time = bubble.Locator("time.timestamp");
        await Expect(time).ToBeVisibleAsync();
        await Expect(time).ToHaveTextAsync(new Regex(@"^\d{2}:\d{2}$"));
        var datetime = await time.GetAttributeAsync("datetime");
        Assert.NotNull(datetime);
        var sentAt = DateTimeOffset.Parse(datetime, CultureInfo.InvariantCulture);
        Assert.InRange(sentAt, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    private static async Task<LocatorBoundingBoxResult> BoxOf(ILocator locator) =>
        await locator.BoundingBoxAsync() ?? throw new InvalidOperationException("The element is not displayed.");
}
