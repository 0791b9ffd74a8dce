using System.Net;
using Microsoft.Extensions.Options;
using OpenChat.SocketIO.Tests.Infrastructure;

namespace OpenChat.SocketIO.Tests.EngineIO;

/// <summary>
/// Credentials cross-origin (OriginPolicy): never to any site, never to the opaque <c>null</c> origin, on polling,
/// preflights and the WebSocket 101 alike.
/// </summary>
public sealed class CorsCredentialsTests
{
    private const string Trusted = "https://app.example";

    private static void QuickClose(SocketIOOptions o) => o.CloseTimeout = TimeSpan.FromMilliseconds(100);

    private static HttpRequestMessage Request(HttpMethod method, Uri uri, string origin)
    {
        var request = new HttpRequestMessage(method, uri);
        request.Headers.Add("Origin", origin);
        if (method == HttpMethod.Options)
        {
            request.Headers.Add("Access-Control-Request-Method", "POST");
            request.Headers.Add("Access-Control-Request-Headers", "content-type");
        }

        return request;
    }

    private static async Task<HttpResponseMessage> SendAsync(TestHost host, HttpMethod method, string origin)
    {
        using var http = new HttpClient();
        using var request = Request(method, host.Url("EIO=4&transport=polling"), origin);
        return await http.SendAsync(request).WithTimeout();
    }

    private static Task<TestHost> StartWithCredentialsAsync() => TestHost.StartAsync(o =>
    {
        o.Cors.AllowedOrigins.Add(Trusted);
        o.Cors.AllowCredentials = true;
        QuickClose(o);
    });

    [Fact]
    public async Task A_wildcard_with_credentials_stops_the_host_from_starting_and_says_why()
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => TestHost.StartAsync(o =>
        {
            o.Cors.AllowedOrigins.Add("*");
            o.Cors.AllowCredentials = true;
        })).WithTimeout();

        var message = Assert.Single(failure.Failures);
        Assert.Contains("SocketIO:Cors:AllowCredentials is true while SocketIO:Cors:AllowedOrigins contains \"*\"", message);
        Assert.Contains("does not allow a wildcard origin with credentials", message);
        Assert.Contains("List the origins that may send credentials", message);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("OPTIONS")]
    public async Task With_credentials_a_listed_origin_gets_itself_back_with_credentials_on_polling_and_preflights(string method)
    {
        await using var host = await StartWithCredentialsAsync();

        using var response = await SendAsync(host, new HttpMethod(method), Trusted);

        Assert.True(response.IsSuccessStatusCode, $"{method} answered {response.StatusCode}");
        Assert.Equal([Trusted], response.Headers.GetValues("Access-Control-Allow-Origin"));
        Assert.Equal(["true"], response.Headers.GetValues("Access-Control-Allow-Credentials"));
        Assert.Contains("Origin", response.Headers.Vary);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("OPTIONS")]
    [InlineData("POST")]
    public async Task With_credentials_the_null_origin_is_refused_on_polling_and_preflights(string method)
    {
        await using var host = await StartWithCredentialsAsync();

        using var response = await SendAsync(host, new HttpMethod(method), "null");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.False(response.Headers.Contains("Access-Control-Allow-Credentials"));
        Assert.Equal(0, host.IO.ConnectionCount);
    }

    [Theory]
    [InlineData(Trusted, HttpStatusCode.SwitchingProtocols)]
    [InlineData("null", HttpStatusCode.Forbidden)]
    [InlineData("https://evil.example", HttpStatusCode.Forbidden)]
    public async Task With_credentials_the_websocket_handshake_admits_only_the_listed_origin(string origin, HttpStatusCode expected)
    {
        await using var host = await StartWithCredentialsAsync();

        var (status, client) = await WsClient.TryConnectAsync(host.WebSocketUrl("EIO=4&transport=websocket"), o => o.SetRequestHeader("Origin", origin));
        await using var ws = client;

        Assert.Equal(expected, status);
        Assert.Equal(expected == HttpStatusCode.SwitchingProtocols, ws is not null);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("OPTIONS")]
    public async Task With_a_wildcard_the_null_origin_is_served_a_wildcard_and_no_credentials(string method)
    {
        await using var host = await TestHost.StartAsync(o =>
        {
            o.Cors.AllowedOrigins.Add("*");
            QuickClose(o);
        });

        using var response = await SendAsync(host, new HttpMethod(method), "null");

        Assert.True(response.IsSuccessStatusCode, $"{method} answered {response.StatusCode}");
        Assert.Equal(["*"], response.Headers.GetValues("Access-Control-Allow-Origin"));
        Assert.False(response.Headers.Contains("Access-Control-Allow-Credentials"));
    }

    [Fact]
    public async Task With_credentials_an_allowed_origin_is_also_given_credentials_on_error_answers()
    {
        await using var host = await StartWithCredentialsAsync();
        using var http = new HttpClient();
        using var request = Request(HttpMethod.Get, host.Url("EIO=4&transport=polling&sid=AAAAAAAAAAAAAAAAAAAA"), Trusted);

        using var response = await http.SendAsync(request).WithTimeout();

        // The browser can read the error body only with both headers.
        await EnginePayload.AssertErrorAsync(response, HttpStatusCode.BadRequest, 1, "Session ID unknown");
        Assert.Equal([Trusted], response.Headers.GetValues("Access-Control-Allow-Origin"));
        Assert.Equal(["true"], response.Headers.GetValues("Access-Control-Allow-Credentials"));
    }
}
