using System.Diagnostics;
using System.Net;
using OpenChat.SocketIO;
using OpenChat.SocketIO.Tests.Infrastructure;

namespace OpenChat.SocketIO.Tests.EngineIO;

/// <summary>The v4 heartbeat: the server pings every interval and closes a client that does not pong in time.</summary>
public sealed class HeartbeatTests
{
    private const int PingsToSurvive = 3;

    private static void ShortHeartbeat(SocketIOOptions o)
    {
        o.PingInterval = TimeSpan.FromMilliseconds(200);
        o.PingTimeout = TimeSpan.FromMilliseconds(300);
    }

    private static TaskCompletionSource<string> NewReason() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static Task<TestHost> StartAsync(TaskCompletionSource<string> reason) =>
        TestHost.StartAsync(configure: ShortHeartbeat, handlers: io => io.On("connection", s => s.OnDisconnect(r => reason.TrySetResult(r))));

    private static async Task<WsClient> ConnectWebSocketAsync(TestHost host)
    {
        var ws = await WsClient.ConnectAsync(host.WebSocketUrl("EIO=4&transport=websocket"));
        var open = await ws.ReceiveOpenAsync();
        Assert.Equal(200, open.GetProperty("pingInterval").GetInt32());
        Assert.Equal(300, open.GetProperty("pingTimeout").GetInt32());
        await ws.SendTextAsync("40");

        // With a 200 ms interval on a busy machine, the first ping can come before the CONNECT answer.
        var reply = await ws.ReceiveTextAsync();
        while (reply == "2")
        {
            await ws.SendTextAsync("3");
            reply = await ws.ReceiveTextAsync();
        }

        Assert.StartsWith("40{\"sid\":", reply);
        return ws;
    }

    private static async Task<PollingClient> ConnectPollingAsync(TestHost host)
    {
        var polling = new PollingClient(host);
        await polling.HandshakeAsync();
        await polling.SendAsync("40");
        return polling;
    }

    [Fact]
    public async Task A_websocket_client_that_answers_every_ping_stays_connected_across_several_pings()
    {
        var reason = NewReason();
        await using var host = await StartAsync(reason);
        await using var ws = await ConnectWebSocketAsync(host);

        for (var pings = 0; pings < PingsToSurvive; pings++)
        {
            Assert.Equal("2", await ws.ReceiveTextAsync());
            await ws.SendTextAsync("3");
        }

        Assert.False(reason.Task.IsCompleted);
        Assert.Equal(1, host.IO.ConnectionCount);
        await ws.SendTextAsync("42[\"still\"]");
        Assert.Equal("2", await ws.ReceiveTextAsync());
    }

    [Fact]
    public async Task The_server_pings_a_websocket_client_every_ping_interval()
    {
        var reason = NewReason();
        await using var host = await StartAsync(reason);
        await using var ws = await ConnectWebSocketAsync(host);
        Assert.Equal("2", await ws.ReceiveTextAsync());
        await ws.SendTextAsync("3");
        var clock = Stopwatch.StartNew();

        Assert.Equal("2", await ws.ReceiveTextAsync());

        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(150), $"the next ping came after {clock.Elapsed}");
    }

    [Fact]
    public async Task A_websocket_client_that_stops_answering_is_closed_with_reason_ping_timeout()
    {
        var reason = NewReason();
        await using var host = await StartAsync(reason);
        await using var ws = await ConnectWebSocketAsync(host);
        Assert.Equal("2", await ws.ReceiveTextAsync());
        await ws.SendTextAsync("3");

        Assert.Equal("2", await ws.ReceiveTextAsync());
        var (before, close) = await ws.ReceiveUntilClosedAsync();

        Assert.True(close.IsClose);
        Assert.DoesNotContain(before, m => m.Text == "2");
        Assert.Equal("ping timeout", await reason.Task.WithTimeout());
        Assert.Equal(0, host.IO.ConnectionCount);
    }

    [Fact]
    public async Task A_polling_client_that_answers_every_ping_stays_connected_across_several_pings()
    {
        var reason = NewReason();
        await using var host = await StartAsync(reason);
        using var polling = await ConnectPollingAsync(host);

        var pings = 0;
        while (pings < PingsToSurvive)
        {
            var packets = await polling.PollPacketsAsync();
            Assert.DoesNotContain("1", packets);
            if (packets.Contains("2"))
            {
                pings++;
                await polling.SendAsync("3");
            }
        }

        Assert.False(reason.Task.IsCompleted);
        Assert.Equal(1, host.IO.ConnectionCount);
        Assert.Contains("2", await polling.PollPacketsAsync());
    }

    [Fact]
    public async Task A_polling_client_that_stops_answering_is_closed_with_reason_ping_timeout()
    {
        var reason = NewReason();
        await using var host = await StartAsync(reason);
        using var polling = await ConnectPollingAsync(host);
        string[] packets;
        do
        {
            packets = await polling.PollPacketsAsync();
        }
        while (!packets.Contains("2"));

        using var next = await polling.GetAsync().WithTimeout();
        var body = await next.Content.ReadAsStringAsync().WithTimeout();

        if (next.StatusCode == HttpStatusCode.OK)
        {
            Assert.Equal("1", body);
        }
        else
        {
            Assert.Equal(HttpStatusCode.BadRequest, next.StatusCode);
            Assert.Equal("{\"code\":1,\"message\":\"Session ID unknown\"}", body);
        }

        Assert.Equal("ping timeout", await reason.Task.WithTimeout());
        Assert.Equal(0, host.IO.ConnectionCount);
        using var after = await polling.GetAsync().WithTimeout();
        await EnginePayload.AssertErrorAsync(after, HttpStatusCode.BadRequest, 1, "Session ID unknown");
    }

    [Fact]
    public async Task A_pong_that_was_not_asked_for_does_not_postpone_the_timeout()
    {
        var reason = NewReason();
        await using var host = await StartAsync(reason);
        await using var ws = await ConnectWebSocketAsync(host);
        Assert.Equal("2", await ws.ReceiveTextAsync());
        await ws.SendTextAsync("3");
        await ws.SendTextAsync("3");
        await ws.SendTextAsync("3");

        Assert.Equal("2", await ws.ReceiveTextAsync());
        var (before, _) = await ws.ReceiveUntilClosedAsync();

        Assert.Empty(before);
        Assert.Equal("ping timeout", await reason.Task.WithTimeout());
    }
}
