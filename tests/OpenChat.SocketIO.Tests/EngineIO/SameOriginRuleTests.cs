using System.Net;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Logging;
using OpenChat.SocketIO.Tests.Hardening;
using OpenChat.SocketIO.Tests.Infrastructure;

namespace OpenChat.SocketIO.Tests.EngineIO;

/// <summary>
/// Which browser page counts as the server's own (OriginPolicy): every branch of the rule, over real HTTP with the
/// Host, Origin and X-Forwarded-Proto headers a browser, a proxy or a DNS-rebinding page would send.
/// </summary>
public sealed class SameOriginRuleTests
{
    private static Task<TestHost> StartAsync(
        LogCapture? logs = null,
        Action<SocketIOOptions>? configure = null,
        string[]? allowedHosts = null,
        Action<ForwardedHeadersOptions>? forwardedHeaders = null) =>
        TestHost.StartAsync(
            o =>
            {
                o.CloseTimeout = TimeSpan.FromMilliseconds(100);
                configure?.Invoke(o);
            },
            mapMore: forwardedHeaders is null ? null : app =>
            {
                var options = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto };
                forwardedHeaders(options);
                app.UseForwardedHeaders(options);
            },
            services: services =>
            {
                if (allowedHosts is not null)
                {
                    services.Configure<HostFilteringOptions>(o => o.AllowedHosts = allowedHosts);
                }

                if (logs is not null)
                {
                    services.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
                }
            });

    /// <summary>A polling handshake carrying the headers a browser (and the proxy in front) would send.</summary>
    private static async Task<HttpResponseMessage> HandshakeAsync(TestHost host, string origin, string? hostHeader = null, string? forwardedProto = null)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, host.Url("EIO=4&transport=polling"));
        request.Headers.Add("Origin", origin);
        if (hostHeader is not null)
        {
            request.Headers.Host = hostHeader;
        }

        if (forwardedProto is not null)
        {
            request.Headers.Add("X-Forwarded-Proto", forwardedProto);
        }

        return await http.SendAsync(request).WithTimeout();
    }

    private static string Port(TestHost host) => host.BaseUri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static LogEntry Refusal(LogCapture logs) => Assert.Single(logs.Entries, e => e.EventId.Name == "OriginRejected");

    [Theory]
    [InlineData("localhost")]
    [InlineData("chat.localhost")]
    [InlineData("127.0.0.1")]
    [InlineData("[::1]")]
    public async Task The_quick_start_page_on_localhost_or_an_address_is_its_own_origin(string name)
    {
        await using var host = await StartAsync();
        var authority = $"{name}:{Port(host)}";

        using var response = await HandshakeAsync(host, "http://" + authority, authority);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Over_plain_http_a_host_name_that_only_matches_the_host_header_is_refused_as_dns_rebinding()
    {
        var logs = new LogCapture();
        await using var host = await StartAsync(logs);

        // What a page on a name the attacker controls sends once that name points at this server.
        using var response = await HandshakeAsync(host, "http://rebound.example:8000", "rebound.example:8000");

        await EnginePayload.AssertErrorAsync(response, HttpStatusCode.Forbidden, 4, "Forbidden");
        Assert.Equal(0, host.IO.ConnectionCount);
        var entry = Refusal(logs);
        Assert.Contains("(unverified host)", entry.Message);
        Assert.Contains("AllowedHosts=rebound.example", entry.Message);
        Assert.Contains("SocketIO:PublicOrigins=http://rebound.example:8000", entry.Message);
    }

    [Theory]
    [InlineData("chat.example", "chat.example:8000")]
    [InlineData("*.example", "chat.example:8000")]
    [InlineData("chat.example", "CHAT.example")]
    public async Task A_host_name_listed_in_allowed_hosts_is_its_own_origin_over_plain_http(string allowed, string hostHeader)
    {
        await using var host = await StartAsync(allowedHosts: [allowed]);

        using var response = await HandshakeAsync(host, "http://" + hostHeader.ToLowerInvariant(), hostHeader);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Theory]
    [InlineData("http://chat.example:9000")]
    [InlineData("https://chat.example:8000")]
    public async Task Allowed_hosts_vouch_for_a_name_but_not_for_another_port_or_scheme_on_it(string origin)
    {
        var logs = new LogCapture();
        await using var host = await StartAsync(logs, allowedHosts: ["chat.example"]);

        using var response = await HandshakeAsync(host, origin, "chat.example:8000");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var entry = Refusal(logs);
        Assert.Contains("(cross-origin)", entry.Message);
        Assert.Contains("reached the app as http://chat.example:8000", entry.Message);
        Assert.Contains("proxy_set_header Host $http_host", entry.Message);
    }

    [Fact]
    public async Task Over_https_as_the_forwarded_headers_middleware_reports_it_a_host_name_is_its_own_origin()
    {
        // A proxy on this machine (a trusted loopback peer, ASP.NET Core's default) terminated TLS: the browser
        // checked the certificate for this name, which no rebinding page can pass.
        await using var host = await StartAsync(forwardedHeaders: _ => { });

        using var response = await HandshakeAsync(host, "https://chat.example", "chat.example", forwardedProto: "https");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task X_forwarded_proto_is_not_read_by_the_server_itself()
    {
        var logs = new LogCapture();
        await using var host = await StartAsync(logs);

        using var response = await HandshakeAsync(host, "https://chat.example", "chat.example", forwardedProto: "https");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var entry = Refusal(logs);
        Assert.Contains("reached the app as http://chat.example", entry.Message);
        Assert.Contains("X-Forwarded-Proto: https from 127.0.0.1 was not applied", entry.Message);
    }

    [Fact]
    public async Task X_forwarded_proto_from_a_peer_that_is_not_a_known_proxy_is_ignored()
    {
        var logs = new LogCapture();
        await using var host = await StartAsync(logs, forwardedHeaders: o =>
        {
            o.KnownIPNetworks.Clear();
            o.KnownProxies.Clear();
            o.KnownProxies.Add(IPAddress.Parse("192.0.2.10"));
        });

        using var response = await HandshakeAsync(host, "https://chat.example", "chat.example", forwardedProto: "https");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("was not applied: that peer is not a trusted proxy", Refusal(logs).Message);
    }

    [Theory]
    [InlineData("https://chat.example", "https://chat.example")]
    [InlineData("https://Chat.Example:443/", "https://chat.example")]
    [InlineData("http://chat.example:8080", "http://chat.example:8080")]
    public async Task A_public_origin_is_served_whatever_host_and_scheme_the_request_arrived_with(string configured, string origin)
    {
        // As behind a proxy that forwards neither Host nor X-Forwarded-Proto: the app sees its own loopback address.
        await using var host = await StartAsync(configure: o => o.PublicOrigins.Add(configured));

        using var response = await HandshakeAsync(host, origin);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("0{", await response.Content.ReadAsStringAsync().WithTimeout());
        Assert.Equal([origin], response.Headers.GetValues("Access-Control-Allow-Origin"));
        Assert.False(response.Headers.Contains("Access-Control-Allow-Credentials"));
    }

    [Fact]
    public async Task With_public_origins_every_other_page_is_refused_the_request_s_own_address_included()
    {
        var logs = new LogCapture();
        await using var host = await StartAsync(logs, configure: o => o.PublicOrigins.Add("https://chat.example"));

        using var response = await HandshakeAsync(host, host.BaseUri.GetLeftPart(UriPartial.Authority));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var entry = Refusal(logs);
        Assert.Contains("(not a public origin)", entry.Message);
        Assert.Contains("SocketIO:PublicOrigins lists https://chat.example", entry.Message);
    }

    [Fact]
    public async Task A_public_origin_also_passes_the_websocket_handshake_and_another_origin_does_not()
    {
        await using var host = await StartAsync(configure: o => o.PublicOrigins.Add("https://chat.example"));
        var url = host.WebSocketUrl("EIO=4&transport=websocket");

        var (accepted, client) = await WsClient.TryConnectAsync(url, o => o.SetRequestHeader("Origin", "https://chat.example"));
        await using var ws = client;
        var (refused, none) = await WsClient.TryConnectAsync(url, o => o.SetRequestHeader("Origin", "https://chat.example:8443"));

        Assert.Equal(HttpStatusCode.SwitchingProtocols, accepted);
        await ws!.ReceiveOpenAsync();
        Assert.Equal(HttpStatusCode.Forbidden, refused);
        Assert.Null(none);
    }

    [Fact]
    public async Task A_cross_origin_page_on_another_host_is_refused_with_the_settings_that_would_admit_it()
    {
        var logs = new LogCapture();
        await using var host = await StartAsync(logs);

        using var response = await HandshakeAsync(host, "https://evil.example");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var entry = Refusal(logs);
        Assert.Equal(LogLevel.Information, entry.Level);
        Assert.Contains("https://evil.example refused (cross-origin)", entry.Message);
        Assert.Contains($"reached the app as {host.BaseUri.GetLeftPart(UriPartial.Authority)}", entry.Message);
        Assert.Contains("add it to SocketIO:Cors:AllowedOrigins", entry.Message);
    }
}
