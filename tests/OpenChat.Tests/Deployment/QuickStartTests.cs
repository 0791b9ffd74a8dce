using System.Globalization;
using OpenChat.Tests.Browser;
using OpenChat.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OpenChat.Tests.Deployment;

/// <summary>The quick start still works untouched under the origin rule: the built app on PORT, opened at http://localhost.</summary>
[Collection(BrowserCollection.Name)]
public sealed class QuickStartTests(BrowserFixture browser)
{
    [Fact]
    public async Task Two_users_chat_on_http_localhost_with_no_setting_at_all()
    {
        var port = OpenChatProcess.FreePort().ToString(CultureInfo.InvariantCulture);
        await using var app = OpenChatProcess.Start(new Dictionary<string, string> { ["PORT"] = port });
        await app.WaitForLineAsync("OpenChat is listening on");
        var page = new Uri($"http://localhost:{port}/");

        var benOpening = ChatPage.OpenAsync(browser, page);
        await using var ana = await ChatPage.OpenAsync(browser, page);
        await using var ben = await benOpening;
        await ana.JoinAsync("Ana");
        await ben.JoinAsync("Ben");
        await ana.SendAsync("quick start");
        await Expect(ben.Bubble("quick start")).ToHaveCountAsync(1);

        await Expect(ben.Transport).ToHaveTextAsync("websocket");
        Assert.DoesNotContain(app.Stdout, line => line.Contains("refused", StringComparison.Ordinal));
        ana.AssertNoErrors();
        ben.AssertNoErrors();
    }
}
