using System.Net;
using OpenChat.SocketIO.Tests.Hardening;
using OpenChat.SocketIO.Tests.Infrastructure;

namespace OpenChat.SocketIO.Tests.EngineIO;

/// <summary>A session keeps what the handshake API shows (headers, query, address) within MaxHandshakeBytes, and no transport headers.</summary>
public sealed class HandshakeRequestTests
{
    private const int Budget = 2048;

    [Fact]
    public async Task A_session_keeps_the_headers_and_query_of_its_handshake_but_not_the_transport_s_own_headers()
    {
        var sockets = new ConnectedSockets();
        await using var host = await TestHost.StartAsync(handlers: io => io.On("connection", sockets.Track));
        await using var ws = await WsClient.ConnectAsync(host.WebSocketUrl("EIO=4&transport=websocket&room=lobby"), o =>
        {
            o.SetRequestHeader("Cookie", "session=abc");
            o.SetRequestHeader("X-Token", "t0ken");
        });
        await ws.ReceiveOpenAsync();
        await ws.SendTextAsync("40");
        var socketId = System.Text.Json.JsonDocument.Parse((await ws.ReceiveTextAsync())[2..]).RootElement.GetProperty("sid").GetString()!;
        var handshake = (await sockets.For(socketId).WithTimeout()).Handshake;

        Assert.Equal("session=abc", handshake.Headers["cookie"]);
        Assert.Equal("t0ken", handshake.Headers["X-Token"]);
        Assert.Equal("lobby", handshake.Query["room"]);
        Assert.Equal("127.0.0.1", handshake.Address);
        Assert.StartsWith("/socket.io/?EIO=4", handshake.Request.Url);
        foreach (var transport in new[] { "Connection", "Upgrade", "Sec-WebSocket-Key", "Sec-WebSocket-Version" })
        {
            Assert.False(handshake.Headers.ContainsKey(transport), $"{transport} was kept");
        }
    }

    [Fact]
    public async Task A_handshake_with_more_headers_than_the_budget_gets_431_with_a_json_body_and_opens_no_session()
    {
        var logs = new LogCapture();
        await using var host = await HardeningHost.StartAsync(logs, o => o.MaxHandshakeBytes = Budget);
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, host.Url("EIO=4&transport=polling"));
        request.Headers.Add("X-Padding", new string('p', Budget));

        using var response = await http.SendAsync(request).WithTimeout();

        await EnginePayload.AssertErrorAsync(response, HttpStatusCode.RequestHeaderFieldsTooLarge, 3, "Handshake too large");
        Assert.Equal(0, host.IO.ConnectionCount);
        Assert.Single(logs.Entries, e => e.EventId.Name == "HandshakeTooLarge");
    }

    [Fact]
    public async Task A_handshake_within_the_budget_opens_a_session()
    {
        await using var host = await TestHost.StartAsync(o =>
        {
            o.MaxHandshakeBytes = Budget;
            o.CloseTimeout = TimeSpan.FromMilliseconds(100);
        });
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, host.Url("EIO=4&transport=polling"));
        request.Headers.Add("X-Padding", new string('p', Budget / 2));

        using var response = await http.SendAsync(request).WithTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, host.IO.ConnectionCount);
    }

    [Fact]
    public void The_default_budget_is_16_KiB() => Assert.Equal(16 * 1024, new SocketIOOptions().MaxHandshakeBytes);
}
