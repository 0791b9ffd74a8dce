using Microsoft.Playwright;
using OpenChat.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OpenChat.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class ResponsiveLayoutTests(BrowserFixture browser)
{
    private static readonly ViewportSize Phone = new() { Width = 375, Height = 667 };

    [Fact]
    public async Task On_a_phone_the_composer_stays_in_view_and_nothing_scrolls_sideways()
    {
        await using var host = await ChatHost.StartAsync();
        var benOpening = ChatPage.OpenAsync(browser, host.BaseUri); // pages start faster side by side
        await using var ana = await ChatPage.OpenAsync(browser, host.BaseUri, viewport: Phone);
        await using var ben = await benOpening;

        await Expect(ana.NameInput).ToBeInViewportAsync(new() { Ratio = 1 });
        await AssertNoHorizontalScroll(ana.Page);

        // Long names and unbroken text are the usual way a narrow layout breaks.
        await ana.JoinAsync("Anastasia-Konstantinopoulou-Long");
        await ben.JoinAsync("Bartholomew-Featherstonehaugh-II");
        await ana.SendAsync("short");
        await ben.SendAsync(new string('W', 300));
        for (var i = 1; i <= 6; i++)
        {
            await ben.SendAsync($"line {i} of a conversation long enough to fill a phone screen");
        }

        await Expect(ana.Messages).ToHaveCountAsync(8);
        await Expect(ana.UserCount).ToHaveTextAsync("2");

        await Expect(ana.MessageInput).ToBeVisibleAsync();
        await Expect(ana.SendButton).ToBeVisibleAsync();
        await Expect(ana.MessageInput).ToBeInViewportAsync(new() { Ratio = 1 });
        await Expect(ana.SendButton).ToBeInViewportAsync(new() { Ratio = 1 });
        await Expect(ana.LeaveButton).ToBeInViewportAsync(new() { Ratio = 1 });
        await Expect(ana.Status).ToBeInViewportAsync(new() { Ratio = 1 });

        // The newest message was scrolled into view inside the list.
        await Expect(ana.Messages.Last).ToBeInViewportAsync();
        await AssertNoHorizontalScroll(ana.Page);

        // And the composer still works there.
        await ana.SendAsync("typed on a phone");
        await Expect(ben.Bubble("typed on a phone")).ToHaveCountAsync(1);
        ana.AssertNoErrors();
    }

    private static async Task AssertNoHorizontalScroll(IPage page)
    {
        var widths = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        Assert.True(widths[0] <= widths[1], $"scrollWidth {widths[0]} > clientWidth {widths[1]}");
    }
}
