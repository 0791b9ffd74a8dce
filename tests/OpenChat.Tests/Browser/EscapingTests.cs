using OpenChat.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OpenChat.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class EscapingTests(BrowserFixture browser)
{
    private const string HostileMessage = "<img src=x onerror=\"window.__xss=1\">";
    private const string HostileName = "<b>bold</b>";

    [Fact]
    public async Task Markup_in_names_and_messages_is_shown_as_text()
    {
        await using var host = await ChatHost.StartAsync();
        var boldOpening = ChatPage.OpenAsync(browser, host.BaseUri); // pages start faster side by side
        await using var ana = await ChatPage.OpenAsync(browser, host.BaseUri);
        await using var bold = await boldOpening;
        await ana.JoinAsync("Ana");
        await bold.JoinAsync(HostileName);

        await ana.SendAsync(HostileMessage);
        await bold.SendAsync("hello");
        await Expect(ana.Messages).ToHaveCountAsync(2);
        await Expect(bold.Messages).ToHaveCountAsync(2);

        foreach (var page in new[] { ana, bold })
        {
            var hostileBubble = page.Messages.Nth(0);
            var boldBubble = page.Messages.Nth(1);
            Assert.Equal(HostileMessage, await hostileBubble.Locator(".text").TextContentAsync());
            Assert.Equal(HostileName, await boldBubble.Locator(".author").TextContentAsync());
            await Expect(page.UserNames).ToHaveTextAsync(["Ana", HostileName]);
            Assert.Equal(HostileName, await page.UserNames.Nth(1).TextContentAsync());
            await Expect(page.SystemLines.Last).ToHaveTextAsync(HostileName + " joined");

            // Text only: no element was parsed out of what users typed, and no handler ran.
            await Expect(page.Page.Locator("#messages img, #messages b, #users img, #users b")).ToHaveCountAsync(0);
            Assert.True(await page.Page.EvaluateAsync<bool>("() => window.__xss === undefined"));
        }

        ana.AssertNoErrors();
        bold.AssertNoErrors();
    }
}
