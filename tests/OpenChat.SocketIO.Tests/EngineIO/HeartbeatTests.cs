using System.Net;
using Microsoft.Extensions.Time.Testing;
using OpenChat.SocketIO.Tests.Infrastructure;

namespace OpenChat.SocketIO.Tests.EngineIO;

/// <summary>
/// The v4 heartbeat end to end: real sockets and real clients, with the server on virtual time, so each ping
/// and each timeout happens when the test moves the clock and never because the machine was slow.
/// </summary>
public sealed class HeartbeatTests
{
    private const int PingsToSurvive = 3;
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(25);
    private static readonly TimeSpan PingTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(1);

    private readonly FakeTimeProvider _time = new();
    private readonly TaskCompletionSource<string> _reason = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private Task<TestHost> StartAsync() => TestHost.StartAsync(
        handlers: io => io.On("connection", s =>
        {
            s.OnDisconnect(r => _reason.TrySetResult(r));

            // Answered only after every packet sent before it was handled: a pong included.
            s.On("sync", ctx => { ctx.Ack(); });
        }),
        services: s => s.AddSingleton<TimeProvider>(_time));

    private static async Task<WsClient> ConnectWebSocketAsync(TestHost host)
    {
        var ws = await WsClient.ConnectAsync(host.WebSocketUrl("EIO=4&transport=websocket"));
        var open = await ws.ReceiveOpenAsync();
        Assert.Equal(25000, open.GetProperty("pingInterval").GetInt32());
        Assert.Equal(20000, open.GetProperty("pingTimeout").GetInt32());
        await ws.SendTextAsync("40");
        Assert.StartsWith("40{\"sid\":", await ws.ReceiveTextAsync());
        return ws;
    }

    private static async Task SyncAsync(WsClient ws)
    {
        await ws.SendTextAsync("421[\"sync\"]");
        Assert.Equal("431[]", await ws.ReceiveTextAsync());
    }

    private static async Task<PollingClient> ConnectPollingAsync(TestHost host)
    {
        var polling = new PollingClient(host);
        await polling.HandshakeAsync();
        await polling.SendAsync("40");
        Assert.StartsWith("40{\"sid\":", await polling.PollAsync());
        return polling;
    }

    /// <summary>Starts a poll and waits until the server holds it, so a ping queued next is what answers it.</summary>
    private static async Task<Task<string>> PendingPollAsync(TestHost host, PollingClient polling)
    {
        var poll = polling.PollAsync();
        await host.WaitUntilAsync(() => host.IO.Engine.HasPendingPoll(polling.Sid));
        return poll;
    }

    [Fact]
    public async Task A_websocket_client_that_answers_every_ping_stays_connected_across_several_pings()
    {
        await using var host = await StartAsync();
        await using var ws = await ConnectWebSocketAsync(host);

        for (var pings = 0; pings < PingsToSurvive; pings++)
        {
            _time.Advance(Interval);
            Assert.Equal("2", await ws.ReceiveTextAsync());
            await ws.SendTextAsync("3");
            await SyncAsync(ws);
            _time.Advance(PingTimeout);
        }

        Assert.False(_reason.Task.IsCompleted);
        Assert.Equal(1, host.IO.ConnectionCount);
    }

    [Fact]
    public async Task A_websocket_client_that_stops_answering_is_closed_with_reason_ping_timeout_when_the_timeout_ends()
    {
        await using var host = await StartAsync();
        await using var ws = await ConnectWebSocketAsync(host);
        _time.Advance(Interval);
        Assert.Equal("2", await ws.ReceiveTextAsync());

        _time.Advance(PingTimeout - Tick);
        await SyncAsync(ws);
        Assert.False(_reason.Task.IsCompleted);
        _time.Advance(Tick);

        var (before, close) = await ws.ReceiveUntilClosedAsync();
        Assert.True(close.IsClose);
        Assert.Empty(before);
        Assert.Equal("ping timeout", await _reason.Task.WithTimeout());
        Assert.Equal(0, host.IO.ConnectionCount);
    }

    [Fact]
    public async Task A_pong_that_was_not_asked_for_does_not_postpone_the_timeout()
    {
        await using var host = await StartAsync();
        await using var ws = await ConnectWebSocketAsync(host);
        _time.Advance(Interval);
        Assert.Equal("2", await ws.ReceiveTextAsync());
        await ws.SendTextAsync("3");
        await ws.SendTextAsync("3");
        await ws.SendTextAsync("3");
        await SyncAsync(ws);

        _time.Advance(Interval);
        Assert.Equal("2", await ws.ReceiveTextAsync());
        _time.Advance(PingTimeout);

        var (before, _) = await ws.ReceiveUntilClosedAsync();
        Assert.Empty(before);
        Assert.Equal("ping timeout", await _reason.Task.WithTimeout());
    }

    [Fact]
    public async Task A_polling_client_that_answers_every_ping_stays_connected_across_several_pings()
    {
        await using var host = await StartAsync();
        using var polling = await ConnectPollingAsync(host);

        for (var pings = 0; pings < PingsToSurvive; pings++)
        {
            var poll = await PendingPollAsync(host, polling);
            _time.Advance(Interval);
            Assert.Equal("2", await poll.WithTimeout());

            // The POST is answered once its packets were handled.
            await polling.SendAsync("3");
            _time.Advance(PingTimeout);
        }

        Assert.False(_reason.Task.IsCompleted);
        Assert.Equal(1, host.IO.ConnectionCount);
        await polling.SendAsync("1");
        Assert.Equal("transport close", await _reason.Task.WithTimeout());
    }

    [Fact]
    public async Task A_polling_client_that_stops_answering_gets_the_close_packet_and_reason_ping_timeout()
    {
        await using var host = await StartAsync();
        using var polling = await ConnectPollingAsync(host);
        var poll = await PendingPollAsync(host, polling);
        _time.Advance(Interval);
        Assert.Equal("2", await poll.WithTimeout());

        var last = await PendingPollAsync(host, polling);
        _time.Advance(PingTimeout);

        Assert.Equal("1", await last.WithTimeout());
        Assert.Equal("ping timeout", await _reason.Task.WithTimeout());
        Assert.Equal(0, host.IO.ConnectionCount);
        using var after = await polling.GetAsync().WithTimeout();
        await EnginePayload.AssertErrorAsync(after, HttpStatusCode.BadRequest, 1, "Session ID unknown");
    }
}
