using System.Net;
using System.Net.WebSockets;
using Microsoft.Extensions.Time.Testing;
using OpenChat.SocketIO.EngineIO;
using OpenChat.SocketIO.Tests.Infrastructure;

namespace OpenChat.SocketIO.Tests.EngineIO;

/// <summary>The polling to WebSocket upgrade: probe, pause, upgrade packet, and what happens when it goes wrong.</summary>
public sealed class UpgradeTests
{
    private const string EchoPath = "/engine.io/";

    private static Task<TestHost> StartEchoAsync(Action<EngineIOOptions>? configure = null, RequestProbe? probe = null, TimeProvider? time = null) =>
        TestHost.StartAsync(
            services: s =>
            {
                s.AddEngineIO(EchoPath, configure);
                if (time is not null)
                {
                    s.AddSingleton(time);
                }
            },
            mapMore: app =>
        {
            probe?.Attach(app);
            app.MapEngineIO(EchoPath, new ConformanceHost.EngineEcho());
        });

    private static Task<WsClient> ConnectUpgradeAsync(TestHost host, PollingClient polling, string path = EchoPath) =>
        WsClient.ConnectAsync(host.WebSocketUrl($"EIO=4&transport=websocket&sid={polling.Sid}", path));

    /// <summary>The candidate WebSocket, probed: the session is upgrading and its polls are answered as after a probe.</summary>
    private static async Task<WsClient> ProbeAsync(TestHost host, PollingClient polling, string path = EchoPath)
    {
        var ws = await ConnectUpgradeAsync(host, polling, path);
        await ws.SendTextAsync("2probe");
        Assert.Equal("3probe", await ws.ReceiveTextAsync());
        return ws;
    }

    /// <summary>Probe and upgrade packet, the way the reference client does it, with no poll pending.</summary>
    private static async Task<WsClient> UpgradeAsync(TestHost host, PollingClient polling)
    {
        var ws = await ProbeAsync(host, polling);
        await ws.SendTextAsync("5");
        return ws;
    }

    /// <summary>A Socket.IO host on virtual time whose connect timeout does not come first.</summary>
    private static Task<TestHost> StartOnVirtualTimeAsync(FakeTimeProvider time) =>
        TestHost.StartAsync(o => o.ConnectTimeout = TimeSpan.FromMinutes(1), services: s => s.AddSingleton<TimeProvider>(time));

    [Fact]
    public async Task A_full_upgrade_probes_releases_the_pending_poll_with_a_noop_and_moves_messages_to_the_websocket()
    {
        var probe = new RequestProbe();
        await using var host = await StartEchoAsync(probe: probe);
        using var polling = new PollingClient(host, EchoPath);
        var open = await polling.HandshakeAsync();
        Assert.Equal(["websocket"], open.GetProperty("upgrades").EnumerateArray().Select(u => u.GetString()));
        var arrived = probe.ExpectPoll(polling.Sid);
        var pendingPoll = polling.GetAsync();
        await arrived.WithTimeout();
        await using var ws = await ConnectUpgradeAsync(host, polling);

        await ws.SendTextAsync("2probe");
        Assert.Equal("3probe", await ws.ReceiveTextAsync());
        using (var released = await pendingPoll.WithTimeout())
        {
            Assert.Equal(HttpStatusCode.OK, released.StatusCode);
            Assert.Equal("6", await released.Content.ReadAsStringAsync().WithTimeout());
        }

        await ws.SendTextAsync("5");
        await ws.SendTextAsync("4over websocket");
        Assert.Equal("4over websocket", await ws.ReceiveTextAsync());
        await ws.SendBinaryAsync([9, 8, 7]);
        Assert.Equal(new byte[] { 9, 8, 7 }, (await ws.ReceiveAsync()).Data);

        using var get = await polling.GetAsync().WithTimeout();
        await EnginePayload.AssertErrorAsync(get, HttpStatusCode.BadRequest, 3, "Bad request");
        using var post = await polling.PostAsync("4late").WithTimeout();
        await EnginePayload.AssertErrorAsync(post, HttpStatusCode.BadRequest, 3, "Bad request");
        await ws.SendTextAsync("4still here");
        Assert.Equal("4still here", await ws.ReceiveTextAsync());
    }

    [Fact]
    public async Task A_poll_sent_after_the_probe_is_answered_with_a_noop_once_its_grace_runs_out_so_the_client_can_pause_polling()
    {
        var time = new FakeTimeProvider();
        await using var host = await StartOnVirtualTimeAsync(time);
        using var polling = new PollingClient(host);
        await polling.HandshakeAsync();
        await using var ws = await ProbeAsync(host, polling, "/socket.io/");

        var poll = polling.PollAsync();
        await host.WaitUntilAsync(() => host.IO.Engine.HasPendingPoll(polling.Sid));
        time.Advance(PollingTransport.ProbedPollGrace - TimeSpan.FromMilliseconds(1));
        Assert.True(host.IO.Engine.HasPendingPoll(polling.Sid));
        Assert.False(poll.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.Equal("6", await poll.WithTimeout());
        await ws.SendTextAsync("5");
        await ws.SendTextAsync("40");
        Assert.StartsWith("40{\"sid\":", await ws.ReceiveTextAsync());
    }

    [Fact]
    public async Task A_poll_sent_after_the_probe_and_still_waiting_when_the_upgrade_packet_comes_is_refused_and_the_websocket_carries_on()
    {
        var time = new FakeTimeProvider();
        await using var host = await StartOnVirtualTimeAsync(time);
        using var polling = new PollingClient(host);
        await polling.HandshakeAsync();
        await using var ws = await ProbeAsync(host, polling, "/socket.io/");

        // The upgrade packet and a poll on another connection, the poll handled first: it still came after.
        var poll = polling.GetAsync();
        await host.WaitUntilAsync(() => host.IO.Engine.HasPendingPoll(polling.Sid));
        await ws.SendTextAsync("5");

        using (var refused = await poll.WithTimeout())
        {
            await EnginePayload.AssertErrorAsync(refused, HttpStatusCode.BadRequest, 3, "Bad request");
        }

        await ws.SendTextAsync("40");
        Assert.StartsWith("40{\"sid\":", await ws.ReceiveTextAsync());
        Assert.Equal(1, host.IO.ConnectionCount);
    }

    [Fact]
    public async Task A_message_queued_while_polling_is_paused_arrives_over_the_websocket_once_upgraded()
    {
        await using var host = await StartEchoAsync();
        using var polling = new PollingClient(host, EchoPath);
        await polling.HandshakeAsync();
        await using var ws = await ProbeAsync(host, polling);

        await polling.SendAsync("4sent during the upgrade");
        await ws.SendTextAsync("5");

        Assert.Equal("4sent during the upgrade", await ws.ReceiveTextAsync());
    }

    [Fact]
    public async Task A_second_websocket_for_an_upgraded_session_is_closed_and_the_first_carries_on()
    {
        await using var host = await StartEchoAsync();
        using var polling = new PollingClient(host, EchoPath);
        await polling.HandshakeAsync();
        await using var ws = await UpgradeAsync(host, polling);
        await ws.SendTextAsync("4first");
        Assert.Equal("4first", await ws.ReceiveTextAsync());

        await using var second = await ConnectUpgradeAsync(host, polling);
        var (before, close) = await second.ReceiveUntilClosedAsync();

        Assert.Empty(before);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, close.CloseStatus);
        await ws.SendTextAsync("4again");
        Assert.Equal("4again", await ws.ReceiveTextAsync());
    }

    [Fact]
    public async Task Without_the_upgrade_packet_in_time_the_websocket_is_closed_and_the_session_stays_on_polling()
    {
        var time = new FakeTimeProvider();
        await using var host = await StartEchoAsync(time: time);
        using var polling = new PollingClient(host, EchoPath);
        await polling.HandshakeAsync();
        await using var ws = await ProbeAsync(host, polling);

        time.Advance(TimeSpan.FromSeconds(10));
        var (before, _) = await ws.ReceiveUntilClosedAsync();

        Assert.Empty(before);
        await polling.SendAsync("4still polling");
        Assert.Equal("4still polling", await polling.PollAsync());
        await polling.SendAsync("1");
    }

    [Fact]
    public async Task A_packet_other_than_the_probe_abandons_the_upgrade_but_keeps_the_polling_session()
    {
        await using var host = await StartEchoAsync();
        using var polling = new PollingClient(host, EchoPath);
        await polling.HandshakeAsync();
        await using var ws = await ConnectUpgradeAsync(host, polling);

        await ws.SendTextAsync("4too early");

        var (before, _) = await ws.ReceiveUntilClosedAsync();
        Assert.Empty(before);
        await polling.SendAsync("4still polling");
        Assert.Equal("4still polling", await polling.PollAsync());
    }

    [Fact]
    public async Task An_upgrade_is_refused_when_upgrades_are_disabled_and_the_session_stays_on_polling()
    {
        await using var host = await StartEchoAsync(o => o.AllowUpgrades = false);
        using var polling = new PollingClient(host, EchoPath);
        var open = await polling.HandshakeAsync();
        Assert.Empty(open.GetProperty("upgrades").EnumerateArray());

        await using var ws = await ConnectUpgradeAsync(host, polling);
        var (before, _) = await ws.ReceiveUntilClosedAsync();

        Assert.Empty(before);
        await polling.SendAsync("4still polling");
        Assert.Equal("4still polling", await polling.PollAsync());
    }

    [Fact]
    public async Task A_websocket_session_cannot_be_upgraded_again()
    {
        await using var host = await StartEchoAsync();
        await using var first = await WsClient.ConnectAsync(host.WebSocketUrl("EIO=4&transport=websocket", EchoPath));
        var sid = (await first.ReceiveOpenAsync()).GetProperty("sid").GetString()!;

        await using var second = await WsClient.ConnectAsync(host.WebSocketUrl($"EIO=4&transport=websocket&sid={sid}", EchoPath));
        var (before, _) = await second.ReceiveUntilClosedAsync();

        Assert.Empty(before);
        await first.SendTextAsync("4alive");
        Assert.Equal("4alive", await first.ReceiveTextAsync());
    }

    [Fact]
    public async Task A_socket_io_connection_keeps_its_socket_across_the_upgrade()
    {
        var connected = new TaskCompletionSource<SocketIOSocket>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await TestHost.StartAsync(handlers: io => io.On("connection", s =>
        {
            s.On("where", ctx => ctx.Ack(ctx.Socket.Transport));
            connected.TrySetResult(s);
        }));
        using var polling = new PollingClient(host);
        await polling.HandshakeAsync();
        await polling.SendAsync("40");
        Assert.StartsWith("40{\"sid\":", await polling.PollAsync());
        var socket = await connected.Task.WithTimeout();
        Assert.Equal("polling", socket.Transport);

        await using var ws = await WsClient.ConnectAsync(host.WebSocketUrl($"EIO=4&transport=websocket&sid={polling.Sid}"));
        await ws.SendTextAsync("2probe");
        Assert.Equal("3probe", await ws.ReceiveTextAsync());
        await ws.SendTextAsync("5");
        await ws.SendTextAsync("421[\"where\"]");

        Assert.Equal("431[\"websocket\"]", await ws.ReceiveTextAsync());
        Assert.True(socket.Connected);
        Assert.Equal(1, host.IO.ConnectionCount);
        socket.Emit("pushed", 1);
        Assert.Equal("42[\"pushed\",1]", await ws.ReceiveTextAsync());
    }
}
