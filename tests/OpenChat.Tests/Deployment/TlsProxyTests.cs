using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OpenChat.Tests.Browser;
using OpenChat.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OpenChat.Tests.Deployment;

/// <summary>
/// "Copying the README's nginx snippet gives a working chat over HTTPS": its site and its systemd unit, run as
/// written in front of two instances, with Chromium on https://chat.example.com.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class TlsProxyTests(TlsProxyFixture proxy) : IClassFixture<TlsProxyFixture>
{
    [Theory]
    [InlineData("websocket")]
    [InlineData("polling")]
    public async Task Two_users_chat_over_https_through_the_readme_nginx_site(string transport)
    {
        var benOpening = ChatPage.OpenAsync(proxy.Browser, proxy.PublicUri, "?transports=" + transport);
        await using var ana = await ChatPage.OpenAsync(proxy.Browser, proxy.PublicUri, "?transports=" + transport);
        await using var ben = await benOpening;

        await ana.JoinAsync("Ana " + transport);
        await ben.JoinAsync("Ben " + transport);
        await ana.SendAsync("over https and " + transport);
        await Expect(ben.Bubble("over https and " + transport)).ToHaveCountAsync(1);
        await ben.SendAsync("back over " + transport);
        await Expect(ana.Bubble("back over " + transport)).ToHaveCountAsync(1);

        await Expect(ana.Transport).ToHaveTextAsync(transport);
        Assert.Equal(proxy.PublicUri.ToString(), ana.Page.Url.Replace("?transports=" + transport, string.Empty, StringComparison.Ordinal));
        ana.AssertNoErrors();
        ben.AssertNoErrors();
    }

    [Theory]
    [InlineData("websocket")]
    [InlineData("polling")]
    public async Task A_page_on_a_foreign_site_cannot_connect_through_the_proxy_and_the_log_says_why(string transport)
    {
        var foreign = $"https://{TlsProxyFixture.ForeignHost}";
        await using var context = await proxy.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.RouteAsync(foreign + "/**", route => route.FulfillAsync(new RouteFulfillOptions
        {
            ContentType = "text/html",
            Body = $$"""
                <!doctype html><title>loading</title>
                <script src="{{proxy.PublicUri}}socket.io/socket.io.js"></script>
                <script>
                  const socket = io("{{proxy.PublicUri.GetLeftPart(UriPartial.Authority)}}", { transports: ["{{transport}}"], reconnection: false });
                  socket.on("connect", () => { document.title = "connected"; });
                  socket.on("connect_error", (error) => { document.title = "refused: " + error.message; });
                </script>
                """,
        }));

        await page.GotoAsync(foreign + "/");

        await Expect(page).ToHaveTitleAsync(new Regex("^refused: "));
        var line = await proxy.WaitForAppLineAsync($"Request from origin {foreign} refused (cross-origin)");
        Assert.Contains($"reached the app as https://{proxy.PublicUri.Authority}", line);
    }

    [Fact]
    public async Task The_readme_site_sends_plain_http_visitors_to_https()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{proxy.RedirectPort}/home");
        request.Headers.Host = TlsProxyFixture.PublicHost;

        using var response = await http.SendAsync(request).WithTimeout();

        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal(new Uri($"https://{TlsProxyFixture.PublicHost}/home"), response.Headers.Location);
    }

    [Fact]
    public async Task The_readme_unit_s_allowed_hosts_refuse_a_rebound_name_at_the_proxy_s_door()
    {
        // A DNS-rebinding page reaches nginx with its own name; nginx forwards it, the app's AllowedHosts stops it.
        using var http = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator });
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"https://127.0.0.1:{proxy.PublicUri.Port}/socket.io/?EIO=4&transport=polling"));
        request.Headers.Host = $"{TlsProxyFixture.ForeignHost}:{proxy.PublicUri.Port}";
        request.Headers.Add("Origin", $"https://{TlsProxyFixture.ForeignHost}:{proxy.PublicUri.Port}");

        using var response = await http.SendAsync(request).WithTimeout();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Invalid Hostname", await response.Content.ReadAsStringAsync().WithTimeout());
    }

    [Fact]
    public async Task Signing_up_over_https_gives_a_secure_http_only_lax_cookie_that_a_reload_keeps()
    {
        await using var ana = await ChatPage.OpenAsync(proxy.Browser, proxy.PublicUri);

        await ana.SignUpAsync("Tess over TLS", "correct horse battery");

        var cookie = Assert.Single(await ana.Context.CookiesAsync(), c => c.Name == AccountServiceCollectionExtensions.CookieName);
        Assert.True(cookie.Secure);
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Lax, cookie.SameSite);
        Assert.Equal(TlsProxyFixture.PublicHost, cookie.Domain);
        var antiforgery = Assert.Single(await ana.Context.CookiesAsync(), c => c.Name == AccountServiceCollectionExtensions.AntiforgeryCookieName);
        Assert.True(antiforgery.Secure);

        await ana.Page.ReloadAsync();
        await Expect(ana.Status).ToHaveTextAsync("connected");
        await Expect(ana.AccountName).ToHaveTextAsync("Tess over TLS");
        ana.AssertNoErrors();

        // Either instance reads the cookie, not only the one that set it: the keys protecting it are in the
        // database they share. Asked directly, as nginx would ask them.
        foreach (var port in proxy.InstancePorts)
        {
            using var http = new HttpClient();
            using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/account");
            request.Headers.Host = TlsProxyFixture.PublicHost;
            request.Headers.Add("X-Forwarded-Proto", "https");
            request.Headers.Add("Cookie", $"{cookie.Name}={cookie.Value}");
            using var response = await http.SendAsync(request).WithTimeout();
            var state = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync().WithTimeout()).RootElement;
            Assert.Equal("Tess over TLS", state.GetProperty("name").GetString());
        }
    }
}
