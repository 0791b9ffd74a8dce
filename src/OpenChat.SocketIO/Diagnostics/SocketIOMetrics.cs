using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using OpenChat.SocketIO.EngineIO;

namespace OpenChat.SocketIO;

/// <summary>
/// The server's instruments, on the meter <see cref="MeterName"/>, named in the OpenTelemetry style that
/// ASP.NET Core's own <c>signalr.server.*</c> and <c>kestrel.*</c> meters follow. Read them with
/// <c>dotnet-counters monitor --counters OpenChat.SocketIO</c> or any OpenTelemetry exporter
/// (<c>AddMeter(SocketIOMetrics.MeterName)</c>). Registered by <c>AddSocketIO</c>; one per service provider.
/// </summary>
/// <remarks>
/// Recording is cheap where it happens per packet: counters with no tags or with tags from a fixed set of
/// strings, and no allocation. The queue and socket gauges are observed only when a listener collects.
/// </remarks>
public sealed class SocketIOMetrics : IDisposable
{
    /// <summary>The meter's name: <c>OpenChat.SocketIO</c>.</summary>
    public const string MeterName = "OpenChat.SocketIO";

    /// <summary>Tag: the transport, <c>polling</c> or <c>websocket</c>.</summary>
    public const string TransportTag = "socketio.transport";

    /// <summary>Tag: the Engine.IO protocol revision the client speaks (<c>4</c>).</summary>
    public const string ProtocolVersionTag = "engineio.protocol.version";

    /// <summary>Tag: why a connection ended, in the reference vocabulary (<c>transport close</c>, <c>ping timeout</c>, ...).</summary>
    public const string DisconnectReasonTag = "socketio.disconnect.reason";

    /// <summary>Tag: why a handshake was refused (see <see cref="HandshakeRefusals"/>).</summary>
    public const string RefusalReasonTag = "socketio.handshake.refusal";

    /// <summary>Tag: a namespace name.</summary>
    public const string NamespaceTag = "socketio.namespace";

    // Histogram buckets of ASP.NET Core's connection durations: from 10 ms to 5 min.
    private static readonly double[] DurationBuckets = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300];

    private readonly Meter _meter;
    private readonly ConcurrentDictionary<EngineIOServer, byte> _engines = new();
    private readonly ConcurrentDictionary<SocketIOServer, byte> _servers = new();
    private readonly UpDownCounter<long> _activeConnections;
    private readonly Counter<long> _connections;
    private readonly Histogram<double> _connectionDuration;
    private readonly Counter<long> _disconnects;
    private readonly Counter<long> _handshakesRefused;
    private readonly Counter<long> _upgrades;
    private readonly Counter<long> _packetsReceived;
    private readonly Counter<long> _packetsSent;
    private readonly Counter<long> _bytesReceived;
    private readonly Counter<long> _bytesSent;
    private readonly Counter<long> _broadcasts;
    private readonly Counter<long> _broadcastRecipients;
    private readonly Counter<long> _slowConsumerDisconnects;
    private readonly UpDownCounter<long> _acksPending;
    private readonly Counter<long> _acksTimedOut;

    /// <summary>Creates the instruments on a meter of <paramref name="meterFactory"/> (or an unmanaged meter when null).</summary>
    public SocketIOMetrics(IMeterFactory? meterFactory)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _activeConnections = _meter.CreateUpDownCounter<long>("socketio.server.active_connections", "{connection}", "Open Engine.IO connections.");
        _connections = _meter.CreateCounter<long>("socketio.server.connections", "{connection}", "Engine.IO connections opened.");
        _connectionDuration = _meter.CreateHistogram("socketio.server.connection.duration", "s", "How long connections lasted.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _disconnects = _meter.CreateCounter<long>("socketio.server.disconnects", "{connection}", "Connections that ended, by reason.");
        _handshakesRefused = _meter.CreateCounter<long>("socketio.server.handshakes.refused", "{handshake}", "Handshakes refused, by reason.");
        _upgrades = _meter.CreateCounter<long>("socketio.server.upgrades", "{upgrade}", "Connections upgraded from polling to WebSocket.");
        _packetsReceived = _meter.CreateCounter<long>("socketio.server.packets.received", "{packet}", "Engine.IO packets received.");
        _packetsSent = _meter.CreateCounter<long>("socketio.server.packets.sent", "{packet}", "Engine.IO packets written to clients.");
        _bytesReceived = _meter.CreateCounter<long>("socketio.server.bytes.received", "By", "Bytes of Engine.IO payloads received.");
        _bytesSent = _meter.CreateCounter<long>("socketio.server.bytes.sent", "By", "Bytes of Engine.IO payloads written to clients.");
        _broadcasts = _meter.CreateCounter<long>("socketio.server.broadcasts", "{broadcast}", "Broadcasts delivered to this server's sockets.");
        _broadcastRecipients = _meter.CreateCounter<long>("socketio.server.broadcast.recipients", "{socket}", "Sockets a broadcast was queued for, summed.");
        _slowConsumerDisconnects = _meter.CreateCounter<long>("socketio.server.slow_consumer.disconnects", "{connection}", "Connections closed because their outgoing queue was full.");
        _acksPending = _meter.CreateUpDownCounter<long>("socketio.server.acks.pending", "{ack}", "Acknowledgements the server waits for.");
        _acksTimedOut = _meter.CreateCounter<long>("socketio.server.acks.timed_out", "{ack}", "Acknowledgements that did not come in time.");
        _meter.CreateObservableUpDownCounter("socketio.server.outgoing_queue.bytes", ObserveQueuedBytes, "By", "Bytes waiting in the outgoing queues of all connections.");
        _meter.CreateObservableUpDownCounter("socketio.server.sockets", ObserveSockets, "{socket}", "Sockets connected, by namespace.");
    }

    /// <summary>The meter the instruments live on.</summary>
    public Meter Meter => _meter;

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();

    internal void Track(EngineIOServer engine) => _engines.TryAdd(engine, 0);

    internal void Track(SocketIOServer server) => _servers.TryAdd(server, 0);

    internal void ConnectionOpened(string transport, string version)
    {
        _activeConnections.Add(1, new KeyValuePair<string, object?>(TransportTag, transport), new KeyValuePair<string, object?>(ProtocolVersionTag, version));
        _connections.Add(1, new KeyValuePair<string, object?>(TransportTag, transport), new KeyValuePair<string, object?>(ProtocolVersionTag, version));
    }

    internal void ConnectionClosed(string transport, string version, string reason, TimeSpan duration)
    {
        _activeConnections.Add(-1, new KeyValuePair<string, object?>(TransportTag, transport), new KeyValuePair<string, object?>(ProtocolVersionTag, version));
        _disconnects.Add(1, new KeyValuePair<string, object?>(DisconnectReasonTag, reason));
        if (_connectionDuration.Enabled)
        {
            _connectionDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>(TransportTag, transport), new KeyValuePair<string, object?>(DisconnectReasonTag, reason));
        }
    }

    internal void Upgraded(string version)
    {
        _activeConnections.Add(-1, new KeyValuePair<string, object?>(TransportTag, "polling"), new KeyValuePair<string, object?>(ProtocolVersionTag, version));
        _activeConnections.Add(1, new KeyValuePair<string, object?>(TransportTag, "websocket"), new KeyValuePair<string, object?>(ProtocolVersionTag, version));
        _upgrades.Add(1);
    }

    internal void HandshakeRefused(string reason) => _handshakesRefused.Add(1, new KeyValuePair<string, object?>(RefusalReasonTag, reason));

    internal void PacketsReceived(int count) => _packetsReceived.Add(count);

    internal void PacketsSent(int count) => _packetsSent.Add(count);

    internal void BytesReceived(long count) => _bytesReceived.Add(count);

    internal void BytesSent(long count) => _bytesSent.Add(count);

    internal void Broadcast(int recipients)
    {
        _broadcasts.Add(1);
        _broadcastRecipients.Add(recipients);
    }

    internal void SlowConsumerDisconnected() => _slowConsumerDisconnects.Add(1);

    internal void AckRegistered() => _acksPending.Add(1);

    internal void AcksSettled(int count) => _acksPending.Add(-count);

    internal void AckTimedOut() => _acksTimedOut.Add(1);

    /// <summary>Elapsed time between two <see cref="TimeProvider.GetTimestamp"/> readings.</summary>
    internal static TimeSpan Elapsed(TimeProvider time, long start) => time.GetElapsedTime(start);

    private long ObserveQueuedBytes()
    {
        long total = 0;
        foreach (var engine in _engines.Keys)
        {
            foreach (var session in engine.Sessions)
            {
                total += session.QueuedBytes;
            }
        }

        return total;
    }

    private IEnumerable<Measurement<long>> ObserveSockets()
    {
        var measurements = new List<Measurement<long>>();
        foreach (var server in _servers.Keys)
        {
            foreach (var ns in server.Namespaces)
            {
                measurements.Add(new Measurement<long>(ns.SocketCount, new KeyValuePair<string, object?>(NamespaceTag, ns.Name)));
            }
        }

        return measurements;
    }
}
