using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;
using OpenChat.SocketIO.Tests.Clients;
using OpenChat.SocketIO.Tests.Infrastructure;

namespace OpenChat.SocketIO.Tests.Diagnostics;

/// <summary>
/// The server's instruments read back with <see cref="MetricCollector{T}"/> (a MeterListener) while the
/// official Node client and raw HTTP requests drive a real Kestrel server.
/// </summary>
public sealed class SocketIOMetricsTests
{
    [Fact]
    public void The_hooks_on_the_per_packet_path_allocate_nothing_while_a_listener_records_them()
    {
        using var metrics = new SocketIOMetrics(null);
        using var listener = new MeterListener();
        long recorded = 0;
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter == metrics.Meter)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => recorded += Math.Abs(value));
        listener.Start();

        OnePacket(metrics);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++)
        {
            OnePacket(metrics);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(10_001 * (1 + 42 + 2 + 84 + 1 + 100 + 1 + 1), recorded);
    }

    // What one packet in, one out and a broadcast with an acknowledgement make the library record.
    private static void OnePacket(SocketIOMetrics metrics)
    {
        metrics.PacketsReceived(1);
        metrics.BytesReceived(42);
        metrics.PacketsSent(2);
        metrics.BytesSent(84);
        metrics.Broadcast(100);
        metrics.AckRegistered();
        metrics.AcksSettled(1);
    }

    [Fact]
    public async Task A_client_that_upgrades_is_counted_on_polling_then_on_websocket_and_its_duration_is_recorded_when_it_leaves()
    {
        await using var host = await TestHost.StartAsync(handlers: io => io.On("connection", socket => socket.Emit("auth", socket.Handshake.Auth)));
        var meter = host.Services.GetRequiredService<SocketIOMetrics>().Meter;
        using var active = new MetricCollector<long>(meter, "socketio.server.active_connections");
        using var duration = new MetricCollector<double>(meter, "socketio.server.connection.duration");
        using var upgrades = new MetricCollector<long>(meter, "socketio.server.upgrades");
        using var disconnects = new MetricCollector<long>(meter, "socketio.server.disconnects");
        using var packetsIn = new MetricCollector<long>(meter, "socketio.server.packets.received");
        using var packetsOut = new MetricCollector<long>(meter, "socketio.server.packets.sent");
        using var bytesIn = new MetricCollector<long>(meter, "socketio.server.bytes.received");
        using var bytesOut = new MetricCollector<long>(meter, "socketio.server.bytes.sent");

        await NodeScript.RunAsync("connect.js", new { url = host.BaseUri.ToString().TrimEnd('/'), transports = "polling,websocket", waitForWebSocket = true });
        await duration.WaitForMeasurementsAsync(1).WithTimeout();

        var changes = active.GetMeasurementSnapshot();
        Assert.Single(changes, m => (string?)m.Tags[SocketIOMetrics.TransportTag] == "polling" && m.Value == 1);
        Assert.Equal(0, changes.Where(m => (string?)m.Tags[SocketIOMetrics.TransportTag] == "polling").Sum(m => m.Value));
        Assert.Equal(0, changes.Where(m => (string?)m.Tags[SocketIOMetrics.TransportTag] == "websocket").Sum(m => m.Value));
        Assert.All(changes, m => Assert.Equal("4", m.Tags[SocketIOMetrics.ProtocolVersionTag]));
        Assert.Equal(1, upgrades.GetMeasurementSnapshot().Sum(m => m.Value));

        var ended = Assert.Single(duration.GetMeasurementSnapshot());
        Assert.Equal("websocket", ended.Tags[SocketIOMetrics.TransportTag]);
        Assert.Equal(DisconnectReasons.TransportClose, ended.Tags[SocketIOMetrics.DisconnectReasonTag]);
        Assert.True(ended.Value > 0);
        Assert.Equal(DisconnectReasons.TransportClose, Assert.Single(disconnects.GetMeasurementSnapshot()).Tags[SocketIOMetrics.DisconnectReasonTag]);

        // Received at least CONNECT, the upgrade probe and upgrade; sent at least the open packet, CONNECT reply and "auth".
        Assert.True(packetsIn.GetMeasurementSnapshot().Sum(m => m.Value) >= 3);
        Assert.True(packetsOut.GetMeasurementSnapshot().Sum(m => m.Value) >= 3);
        Assert.True(bytesIn.GetMeasurementSnapshot().Sum(m => m.Value) > 0);
        Assert.True(bytesOut.GetMeasurementSnapshot().Sum(m => m.Value) > 0);
    }

    [Fact]
    public async Task A_Socket_IO_2_client_is_counted_under_protocol_version_3()
    {
        await using var host = await TestHost.StartAsync(o => o.AllowEIO3 = true);
        using var active = new MetricCollector<long>(host.Services.GetRequiredService<SocketIOMetrics>().Meter, "socketio.server.active_connections");
        using var http = new HttpClient();

        using var handshake = await http.GetAsync(host.Url("EIO=3&transport=polling")).WithTimeout();

        Assert.Equal(HttpStatusCode.OK, handshake.StatusCode);
        var opened = Assert.Single(active.GetMeasurementSnapshot());
        Assert.Equal(1, opened.Value);
        Assert.Equal("3", opened.Tags[SocketIOMetrics.ProtocolVersionTag]);
        Assert.Equal("polling", opened.Tags[SocketIOMetrics.TransportTag]);
    }

    [Fact]
    public async Task Refused_handshakes_are_counted_by_reason_and_requests_of_a_session_are_not()
    {
        await using var host = await TestHost.StartAsync();
        using var refused = new MetricCollector<long>(host.Services.GetRequiredService<SocketIOMetrics>().Meter, "socketio.server.handshakes.refused");
        using var http = new HttpClient();

        (await http.GetAsync(host.Url("EIO=3&transport=polling")).WithTimeout()).Dispose();
        (await http.GetAsync(host.Url("EIO=4&transport=carrier-pigeon")).WithTimeout()).Dispose();
        (await http.PostAsync(host.Url("EIO=4&transport=polling"), new StringContent("x")).WithTimeout()).Dispose();
        using var unknownSid = await http.GetAsync(host.Url("EIO=4&transport=polling&sid=nope")).WithTimeout();

        Assert.Equal(HttpStatusCode.BadRequest, unknownSid.StatusCode);
        var reasons = refused.GetMeasurementSnapshot().Select(m => (string)m.Tags[SocketIOMetrics.RefusalReasonTag]!).Order().ToArray();
        Assert.Equal(new[] { HandshakeRefusals.BadMethod, HandshakeRefusals.UnknownTransport, HandshakeRefusals.UnsupportedProtocolVersion }, reasons);
    }

    [Fact]
    public async Task A_broadcast_counts_once_with_each_socket_it_was_queued_for()
    {
        await using var host = await TestHost.StartAsync();
        var meter = host.Services.GetRequiredService<SocketIOMetrics>().Meter;
        using var broadcasts = new MetricCollector<long>(meter, "socketio.server.broadcasts");
        using var recipients = new MetricCollector<long>(meter, "socketio.server.broadcast.recipients");
        using var first = await ConnectedAsync(host);
        using var second = await ConnectedAsync(host);

        host.IO.Emit("news", "hello");

        Assert.Equal(1, broadcasts.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Equal(2, recipients.GetMeasurementSnapshot().Sum(m => m.Value));
    }

    [Fact]
    public async Task An_acknowledgement_is_pending_until_it_times_out_and_then_counted_as_timed_out()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        SocketIOSocket? connected = null;
        await using var host = await TestHost.StartAsync(handlers: io => io.On("connection", s => connected = s), services: s => s.AddSingleton<TimeProvider>(time));
        var meter = host.Services.GetRequiredService<SocketIOMetrics>().Meter;
        using var pending = new MetricCollector<long>(meter, "socketio.server.acks.pending");
        using var timedOut = new MetricCollector<long>(meter, "socketio.server.acks.timed_out");
        using var client = await ConnectedAsync(host);
        await host.WaitUntilAsync(() => connected is not null);

        var ack = connected!.EmitWithAckAsync("question", TimeSpan.FromSeconds(1), 42);
        Assert.Equal(1, pending.GetMeasurementSnapshot().Sum(m => m.Value));
        time.Advance(TimeSpan.FromSeconds(1));

        await Assert.ThrowsAsync<TimeoutException>(() => ack.WithTimeout());
        Assert.Equal(0, pending.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Equal(1, timedOut.GetMeasurementSnapshot().Sum(m => m.Value));
    }

    [Fact]
    public async Task A_client_whose_queue_overflows_is_counted_as_a_slow_consumer_and_its_queued_bytes_are_observed()
    {
        SocketIOSocket? connected = null;
        await using var host = await TestHost.StartAsync(o => o.MaxQueuedOutgoingBytes = 64 * 1024, io => io.On("connection", s => connected = s));
        var meter = host.Services.GetRequiredService<SocketIOMetrics>().Meter;
        using var slow = new MetricCollector<long>(meter, "socketio.server.slow_consumer.disconnects");
        using var queued = new MetricCollector<long>(meter, "socketio.server.outgoing_queue.bytes");
        using var client = await ConnectedAsync(host);
        await host.WaitUntilAsync(() => connected is not null);

        // The client does not poll: what the server sends waits in its queue.
        connected!.Emit("chunk", new string('x', 40 * 1024));
        queued.RecordObservableInstruments();
        Assert.True(queued.LastMeasurement!.Value > 40 * 1024);

        connected.Emit("chunk", new string('y', 40 * 1024));
        Assert.Equal(1, slow.GetMeasurementSnapshot().Sum(m => m.Value));
        queued.RecordObservableInstruments();
        Assert.Equal(0, queued.LastMeasurement!.Value);
    }

    [Fact]
    public async Task Sockets_are_observed_by_namespace()
    {
        await using var host = await TestHost.StartAsync(handlers: io => io.Of("/chat"));
        using var sockets = new MetricCollector<long>(host.Services.GetRequiredService<SocketIOMetrics>().Meter, "socketio.server.sockets");
        using var client = await ConnectedAsync(host, "/chat");
        await host.WaitUntilAsync(() => host.IO.Of("/chat").SocketCount == 1);

        sockets.RecordObservableInstruments();

        var byNamespace = sockets.GetMeasurementSnapshot().ToDictionary(m => (string)m.Tags[SocketIOMetrics.NamespaceTag]!, m => m.Value);
        Assert.Equal(1, byNamespace["/chat"]);
        Assert.Equal(0, byNamespace["/"]);
    }

    // A raw polling client that handshook, joined a namespace and read the CONNECT reply (the connection
    // handlers run once it went out); it polls no more unless the test does.
    private static async Task<PollingClient> ConnectedAsync(TestHost host, string ns = "/")
    {
        var expected = host.IO.Of(ns).SocketCount + 1;
        var client = new PollingClient(host);
        await client.HandshakeAsync();
        await client.SendAsync(ns == "/" ? "40" : $"40{ns},");
        await host.WaitUntilAsync(() => host.IO.Of(ns).SocketCount >= expected);
        Assert.StartsWith("40", await client.PollAsync());
        return client;
    }
}
