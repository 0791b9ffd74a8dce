using System.Globalization;
using System.Net;
using OpenChat.Tests.Infrastructure;

namespace OpenChat.Tests.Hosting;

/// <summary>
/// The app behind a proxy: forwarded headers go through ASP.NET Core's middleware and are applied from trusted
/// peers only (loopback by default, <c>ForwardedHeaders:KnownProxies</c>/<c>KnownNetworks</c> otherwise), and
/// <c>AllowedHosts</c> both filters requests and vouches for host names to the origin check.
/// </summary>
public sealed class ProxyHeadersTests
{
    /// <summary>A polling handshake as a proxy hands it on: the browser's Origin and Host, and the proxy's X-Forwarded-*.</summary>
    private static async Task<HttpResponseMessage> HandshakeAsync(Uri app, string? origin, string? host = null, string? proto = null, string? client = null)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(app, "/socket.io/?EIO=4&transport=polling"));
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        if (host is not null)
        {
            request.Headers.Host = host;
        }

        if (proto is not null)
        {
            request.Headers.Add("X-Forwarded-Proto", proto);
        }

        if (client is not null)
        {
            request.Headers.Add("X-Forwarded-For", client);
        }

        return await http.SendAsync(request).WithTimeout();
    }

    // Handshakes here leave idle polling sessions behind; they need not hold up the host's stop.
    private static Task<ChatHost> StartAsync(params string[] args) => ChatHost.StartAsync(null, ["--SocketIO:CloseTimeout=00:00:00.100", .. args]);

    private static string Text(int port) => port.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task A_loopback_proxy_s_scheme_is_applied_so_a_tls_terminated_page_is_its_own_origin()
    {
        await using var host = await StartAsync();

        using var forwarded = await HandshakeAsync(host.BaseUri, "https://chat.example.com", "chat.example.com", proto: "https");
        using var plain = await HandshakeAsync(host.BaseUri, "https://chat.example.com", "chat.example.com");

        Assert.Equal(HttpStatusCode.OK, forwarded.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, plain.StatusCode);
    }

    [Fact]
    public async Task A_loopback_proxy_s_client_address_is_the_one_per_address_limits_count()
    {
        await using var host = await StartAsync("--SocketIO:HandshakesPerMinutePerIp=1");

        using var first = await HandshakeAsync(host.BaseUri, null, client: "203.0.113.1");
        using var other = await HandshakeAsync(host.BaseUri, null, client: "203.0.113.2");
        using var again = await HandshakeAsync(host.BaseUri, null, client: "203.0.113.1");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, again.StatusCode);
    }

    [Fact]
    public async Task Listing_proxies_replaces_loopback_so_forwarded_headers_from_an_unlisted_peer_are_ignored()
    {
        await using var host = await StartAsync("--ForwardedHeaders:KnownProxies:0=192.0.2.10", "--SocketIO:HandshakesPerMinutePerIp=1");

        using var tls = await HandshakeAsync(host.BaseUri, "https://chat.example.com", "chat.example.com", proto: "https");
        using var first = await HandshakeAsync(host.BaseUri, null, client: "203.0.113.1");
        using var other = await HandshakeAsync(host.BaseUri, null, client: "203.0.113.2");

        Assert.Equal(HttpStatusCode.Forbidden, tls.StatusCode);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, other.StatusCode); // both are this test's own loopback address
    }

    [Fact]
    public async Task Known_networks_may_be_one_value_separated_by_semicolons_as_in_an_environment_variable()
    {
        await using var host = await StartAsync("--ForwardedHeaders:KnownNetworks=192.0.2.0/24; 127.0.0.0/8");

        using var response = await HandshakeAsync(host.BaseUri, "https://chat.example.com", "chat.example.com", proto: "https");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("--ForwardedHeaders:KnownProxies:0=10.0.0.300", "ForwardedHeaders:KnownProxies: \"10.0.0.300\" is not an IP address")]
    [InlineData("--ForwardedHeaders:KnownNetworks:0=10.0.0.0", "ForwardedHeaders:KnownNetworks: \"10.0.0.0\" is not a network in CIDR form")]
    [InlineData("--ForwardedHeaders:ForwardLimit=0", "ForwardedHeaders:ForwardLimit \"0\" must be a whole number")]
    public async Task A_proxy_setting_that_does_not_parse_stops_the_app_at_start_and_names_it(string setting, string message)
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => StartAsync(setting)).WithTimeout();

        Assert.Contains(message, failure.ToString());
    }

    [Fact]
    public async Task Allowed_hosts_refuse_another_host_name_and_vouch_for_their_own_over_plain_http()
    {
        await using var host = await StartAsync("--AllowedHosts=chat.example.com");
        var port = Text(host.BaseUri.Port);
        using var http = new HttpClient();
        using var foreign = new HttpRequestMessage(HttpMethod.Get, host.BaseUri);
        foreign.Headers.Host = "rebound.example:" + port;

        using var refused = await http.SendAsync(foreign).WithTimeout();
        using var own = await HandshakeAsync(host.BaseUri, $"http://chat.example.com:{port}", $"chat.example.com:{port}");

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ASPNETCORE_FORWARDEDHEADERS_ENABLED_applies_forwarded_headers_without_trusting_unlisted_peers(bool listsAnotherProxy)
    {
        var port = OpenChatProcess.FreePort();
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{Text(port)}",
            ["ASPNETCORE_FORWARDEDHEADERS_ENABLED"] = "true",
        };
        if (listsAnotherProxy)
        {
            environment["ForwardedHeaders__KnownProxies"] = "192.0.2.10";
        }

        await using var app = OpenChatProcess.Start(environment);
        await app.WaitForLineAsync("OpenChat is listening on");

        using var response = await HandshakeAsync(new Uri($"http://127.0.0.1:{Text(port)}/"), "https://chat.example.com", "chat.example.com", proto: "https");

        if (listsAnotherProxy)
        {
            // ASP.NET Core alone would trust every peer here; the listed proxy is the only one trusted.
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            await app.WaitForLineAsync("X-Forwarded-Proto: https from 127.0.0.1 was not applied");
        }
        else
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            await app.WaitForLineAsync("forwarded headers are trusted from loopback only");
        }
    }
}
