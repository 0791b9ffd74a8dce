using OpenChat.Tests.Browser;
using OpenChat.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OpenChat.Tests.Deployment;

/// <summary>
/// The app with its default settings behind Debian's nginx on a plain, non-default port (the set-up that used to
/// get 403 for every Socket.IO request): the README's proxy directives, real Kestrel, Chromium.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PlainProxyTests(BrowserFixture browser)
{
    [Theory]
    [InlineData("websocket")]
    [InlineData("polling")]
    public async Task Two_users_chat_through_nginx_on_a_non_default_port_with_the_default_settings(string transport)
    {
        await using var app = await ChatHost.StartAsync();
        var port = FreePort.Find();
        await using var nginx = await NginxProcess.StartAsync(ReadmeNginx.PlainSite(port, app.BaseUri.Port), port);
        var proxy = new Uri($"http://127.0.0.1:{port}/");

        var benOpening = ChatPage.OpenAsync(browser, proxy, "?transports=" + transport);
        await using var ana = await ChatPage.OpenAsync(browser, proxy, "?transports=" + transport);
        await using var ben = await benOpening;
        await ana.JoinAsync("Ana");
        await ben.JoinAsync("Ben");
        await ana.SendAsync("through nginx over " + transport);
        await Expect(ben.Bubble("through nginx over " + transport)).ToHaveCountAsync(1);
        await ben.SendAsync("and back");
        await Expect(ana.Bubble("and back")).ToHaveCountAsync(1);

        await Expect(ana.Transport).ToHaveTextAsync(transport);
        Assert.Contains("\"GET /?transports=" + transport + " HTTP/1.1\" 200", nginx.AccessLog);
        ana.AssertNoErrors();
        ben.AssertNoErrors();
    }
}
