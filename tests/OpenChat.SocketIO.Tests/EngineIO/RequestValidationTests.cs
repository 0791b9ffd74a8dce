using System.Net;
using OpenChat.SocketIO.Tests.Infrastructure;

namespace OpenChat.SocketIO.Tests.EngineIO;

/// <summary>The Engine.IO request error table, the handshake filter and cross-origin access, over raw HTTP.</summary>
public sealed class RequestValidationTests
{
    private const string Evil = "http://evil.example";

    private static HttpRequestMessage Request(HttpMethod method, Uri uri, string? origin = null)
    {
        var request = new HttpRequestMessage(method, uri);
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        return request;
    }

    [Theory]
    [InlineData("EIO=4")]
    [InlineData("EIO=4&transport=abc")]
    [InlineData("EIO=4&transport=")]
    [InlineData("EIO=4&transport=POLLING")]
    public async Task A_missing_or_unknown_transport_is_refused_with_code_0(string query)
    {
        await using var host = await TestHost.StartAsync();
        using var http = new HttpClient();

        using var response = await http.GetAsync(host.Url(query)).WithTimeout();

        await EnginePayload.AssertErrorAsync(response, HttpStatusCode.BadRequest, 0, "Transport unknown");
    }

    [Fact]
    public async Task A_transport_the_server_has_disabled_is_refused_with_code_0()
    {
        await using var host = await TestHost.StartAsync(configure: o => o.Transports = OpenChat.SocketIO.EngineIO.EngineTransports.WebSocket);
        using var http = new HttpClient();

        using var response = await http.GetAsync(host.Url("EIO=4&transport=polling")).WithTimeout();

        await EnginePayload.AssertErrorAsync(response, HttpStatusCode.BadRequest, 0, "Transport unknown");
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("POST")]
    public async Task A_request_for_an_unknown_sid_is_refused_with_code_1(string method)
    {
        await using var host = await TestHost.StartAsync();
        using var http = new HttpClient();
        using var request = Request(new HttpMethod(method), host.Url("EIO=4&transport=polling&sid=AAAAAAAAAAAAAAAAAAAA"));
        if (method == "POST")
        {
            request.Content = new StringContent("4hello");
        }

        using var response = await http.SendAsync(request).WithTimeout();

        await EnginePayload.AssertErrorAsync(response, HttpStatusCode.BadRequest, 1, "Session ID unknown");
    }

    [Fact]
    public async Task A_websocket_for_an_unknown_sid_is_refused_with_400()
    {
        await using var host = await TestHost.StartAsync();

        var (status, client) = await WsClient.TryConnectAsync(host.WebSocketUrl("EIO=4&transport=websocket&sid=AAAAAAAAAAAAAAAAAAAA"));

        Assert.Null(client);
        Assert.Equal(HttpStatusCode.BadRequest, status);
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    public async Task A_handshake_that_is_not_a_get_is_refused_with_code_2(string method)
    {
        await using var host = await TestHost.StartAsync();
        using var http = new HttpClient();
        using var request = Request(new HttpMethod(method), host.Url("EIO=4&transport=polling"));
        request.Content = new StringContent("40");

        using var response = await http.SendAsync(request).WithTimeout();

        await EnginePayload.AssertErrorAsync(response, HttpStatusCode.BadRequest, 2, "Bad handshake method");
        Assert.Equal(0, host.IO.ConnectionCount);
    }

    [Fact]
    public async Task A_websocket_transport_request_without_upgrade_headers_is_refused_with_code_3()
    {
        await using var host = await TestHost.StartAsync();
        using var http = new HttpClient();

        using var response = await http.GetAsync(host.Url("EIO=4&transport=websocket")).WithTimeout();

        await EnginePayload.AssertErrorAsync(response, HttpStatusCode.BadRequest, 3, "Bad request");
        Assert.Equal(0, host.IO.ConnectionCount);
    }

    [Fact]
    public async Task A_websocket_upgrade_request_that_names_the_polling_transport_is_refused_with_400()
    {
        await using var host = await TestHost.StartAsync();

        var (status, client) = await WsClient.TryConnectAsync(host.WebSocketUrl("EIO=4&transport=polling"));

        Assert.Null(client);
        Assert.Equal(HttpStatusCode.BadRequest, status);
    }

    [Fact]
    public async Task Polling_requests_on_a_session_that_upgraded_to_websocket_are_refused_with_code_3()
    {
        await using var host = await TestHost.StartAsync();
        using var polling = new PollingClient(host);
        await polling.HandshakeAsync();
        await using var ws = await WsClient.ConnectAsync(host.WebSocketUrl($"EIO=4&transport=websocket&sid={polling.Sid}"));
        await ws.SendTextAsync("2probe");
        Assert.Equal("3probe", await ws.ReceiveTextAsync());
        await ws.SendTextAsync("5");
        await ws.SendTextAsync("40");
        Assert.StartsWith("40{\"sid\":", await ws.ReceiveTextAsync());

        using var get = await polling.GetAsync().WithTimeout();
        using var post = await polling.PostAsync("42[\"x\"]").WithTimeout();

        await EnginePayload.AssertErrorAsync(get, HttpStatusCode.BadRequest, 3, "Bad request");
        await EnginePayload.AssertErrorAsync(post, HttpStatusCode.BadRequest, 3, "Bad request");
        Assert.Equal(1, host.IO.ConnectionCount);
    }

    [Theory]
    [InlineData("transport=polling")]
    [InlineData("EIO=abc&transport=polling")]
    [InlineData("EIO=3&transport=polling")]
    [InlineData("EIO=5&transport=polling")]
    [InlineData("EIO=&transport=polling")]
    public async Task A_missing_or_unsupported_protocol_version_is_refused_with_code_5(string query)
    {
        await using var host = await TestHost.StartAsync();
        using var http = new HttpClient();

        using var response = await http.GetAsync(host.Url(query)).WithTimeout();

        await EnginePayload.AssertErrorAsync(response, HttpStatusCode.BadRequest, 5, "Unsupported protocol version");
    }

    [Fact]
    public async Task A_websocket_handshake_with_an_unsupported_protocol_version_is_refused_with_400()
    {
        await using var host = await TestHost.StartAsync();

        var (status, client) = await WsClient.TryConnectAsync(host.WebSocketUrl("EIO=3&transport=websocket"));

        Assert.Null(client);
        Assert.Equal(HttpStatusCode.BadRequest, status);
    }

    [Fact]
    public async Task A_handshake_that_allow_request_rejects_is_refused_with_403_and_code_4()
    {
        await using var host = await TestHost.StartAsync(configure: o => o.AllowRequest = _ => ValueTask.FromResult(false));
        using var http = new HttpClient();

        using var response = await http.GetAsync(host.Url("EIO=4&transport=polling")).WithTimeout();

        await EnginePayload.AssertErrorAsync(response, HttpStatusCode.Forbidden, 4, "Forbidden");
        Assert.Equal(0, host.IO.ConnectionCount);
    }

    [Fact]
    public async Task Allow_request_sees_the_handshake_request_and_can_admit_it()
    {
        await using var host = await TestHost.StartAsync(configure: o =>
            o.AllowRequest = context => ValueTask.FromResult(context.Request.Query["token"] == "good"));
        using var http = new HttpClient();

        using var refused = await http.GetAsync(host.Url("EIO=4&transport=polling&token=bad")).WithTimeout();
        using var admitted = await http.GetAsync(host.Url("EIO=4&transport=polling&token=good")).WithTimeout();
        var (wsRefused, refusedClient) = await WsClient.TryConnectAsync(host.WebSocketUrl("EIO=4&transport=websocket&token=bad"));
        await using var wsAdmitted = await WsClient.ConnectAsync(host.WebSocketUrl("EIO=4&transport=websocket&token=good"));

        await EnginePayload.AssertErrorAsync(refused, HttpStatusCode.Forbidden, 4, "Forbidden");
        Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
        Assert.StartsWith("0{", await admitted.Content.ReadAsStringAsync().WithTimeout());
        Assert.Null(refusedClient);
        Assert.Equal(HttpStatusCode.Forbidden, wsRefused);
        await wsAdmitted.ReceiveOpenAsync();
    }

    [Fact]
    public async Task A_polling_request_from_a_foreign_origin_is_refused_with_403_by_default()
    {
        await using var host = await TestHost.StartAsync();
        using var http = new HttpClient();
        using var request = Request(HttpMethod.Get, host.Url("EIO=4&transport=polling"), Evil);

        using var response = await http.SendAsync(request).WithTimeout();

        await EnginePayload.AssertErrorAsync(response, HttpStatusCode.Forbidden, 4, "Forbidden");
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.Equal(0, host.IO.ConnectionCount);
    }

    [Fact]
    public async Task A_polling_request_from_the_server_own_origin_is_served_without_cors_headers()
    {
        await using var host = await TestHost.StartAsync();
        using var http = new HttpClient();
        using var request = Request(HttpMethod.Get, host.Url("EIO=4&transport=polling"), host.BaseUri.GetLeftPart(UriPartial.Authority));

        using var response = await http.SendAsync(request).WithTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("0{", await response.Content.ReadAsStringAsync().WithTimeout());
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task A_polling_request_from_an_allowed_origin_gets_that_origin_back()
    {
        await using var host = await TestHost.StartAsync(configure: o => o.Cors.AllowedOrigins.Add(Evil));
        using var http = new HttpClient();
        using var request = Request(HttpMethod.Get, host.Url("EIO=4&transport=polling"), Evil);

        using var response = await http.SendAsync(request).WithTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("0{", await response.Content.ReadAsStringAsync().WithTimeout());
        Assert.Equal([Evil], response.Headers.GetValues("Access-Control-Allow-Origin"));
        Assert.Contains("Origin", response.Headers.Vary);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Credentials"));
    }

    [Fact]
    public async Task A_polling_request_from_any_origin_is_served_with_a_wildcard_when_star_is_allowed()
    {
        await using var host = await TestHost.StartAsync(configure: o => o.Cors.AllowedOrigins.Add("*"));
        using var http = new HttpClient();
        using var request = Request(HttpMethod.Get, host.Url("EIO=4&transport=polling"), Evil);

        using var response = await http.SendAsync(request).WithTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("0{", await response.Content.ReadAsStringAsync().WithTimeout());
        Assert.Equal(["*"], response.Headers.GetValues("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Credentialed_cors_echoes_a_listed_origin_and_allows_credentials()
    {
        await using var host = await TestHost.StartAsync(configure: o =>
        {
            o.Cors.AllowedOrigins.Add(Evil);
            o.Cors.AllowCredentials = true;
        });
        using var http = new HttpClient();
        using var request = Request(HttpMethod.Get, host.Url("EIO=4&transport=polling"), Evil);

        using var response = await http.SendAsync(request).WithTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([Evil], response.Headers.GetValues("Access-Control-Allow-Origin"));
        Assert.Equal(["true"], response.Headers.GetValues("Access-Control-Allow-Credentials"));
    }

    [Fact]
    public async Task Error_responses_to_an_allowed_origin_carry_the_cors_header_so_the_browser_can_read_them()
    {
        await using var host = await TestHost.StartAsync(configure: o => o.Cors.AllowedOrigins.Add(Evil));
        using var http = new HttpClient();
        using var request = Request(HttpMethod.Get, host.Url("EIO=4&transport=polling&sid=AAAAAAAAAAAAAAAAAAAA"), Evil);

        using var response = await http.SendAsync(request).WithTimeout();

        await EnginePayload.AssertErrorAsync(response, HttpStatusCode.BadRequest, 1, "Session ID unknown");
        Assert.Equal([Evil], response.Headers.GetValues("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task A_websocket_from_a_foreign_origin_is_refused_by_default()
    {
        await using var host = await TestHost.StartAsync();

        var (status, client) = await WsClient.TryConnectAsync(
            host.WebSocketUrl("EIO=4&transport=websocket"), o => o.SetRequestHeader("Origin", Evil));

        Assert.Null(client);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal(0, host.IO.ConnectionCount);
    }

    [Theory]
    [InlineData(Evil)]
    [InlineData("*")]
    public async Task A_websocket_from_an_allowed_origin_is_accepted(string allowed)
    {
        await using var host = await TestHost.StartAsync(configure: o => o.Cors.AllowedOrigins.Add(allowed));

        var (status, client) = await WsClient.TryConnectAsync(
            host.WebSocketUrl("EIO=4&transport=websocket"), o => o.SetRequestHeader("Origin", Evil));
        await using var ws = client;

        Assert.Equal(HttpStatusCode.SwitchingProtocols, status);
        Assert.NotNull(ws);
        var open = await ws.ReceiveOpenAsync();
        Assert.Equal(20, open.GetProperty("sid").GetString()!.Length);
    }

    [Fact]
    public async Task A_preflight_from_an_allowed_origin_is_answered_with_the_allowed_methods_and_headers()
    {
        await using var host = await TestHost.StartAsync(configure: o => o.Cors.AllowedOrigins.Add(Evil));
        using var http = new HttpClient();
        using var request = Request(HttpMethod.Options, host.Url("EIO=4&transport=polling"), Evil);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type");

        using var response = await http.SendAsync(request).WithTimeout();

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal([Evil], response.Headers.GetValues("Access-Control-Allow-Origin"));
        var methods = string.Join(",", response.Headers.GetValues("Access-Control-Allow-Methods"));
        Assert.Contains("GET", methods);
        Assert.Contains("POST", methods);
        Assert.Contains("content-type", string.Join(",", response.Headers.GetValues("Access-Control-Allow-Headers")), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, host.IO.ConnectionCount);
    }

    [Fact]
    public async Task A_preflight_from_a_foreign_origin_is_refused_by_default()
    {
        await using var host = await TestHost.StartAsync();
        using var http = new HttpClient();
        using var request = Request(HttpMethod.Options, host.Url("EIO=4&transport=polling"), Evil);
        request.Headers.Add("Access-Control-Request-Method", "POST");

        using var response = await http.SendAsync(request).WithTimeout();

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }
}
