using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;

namespace OpenChat.SocketIO.AdminUI;

/// <summary>
/// The UI's aggregated events (Node's <c>EventBuffer</c>): per second, connections opened, disconnections by
/// reason, packets and bytes in and out, sent with the next <c>server_stats</c>. Read from the server's own
/// instruments with a <see cref="MeterListener"/>, so nothing in the packet path knows about the UI.
/// </summary>
internal sealed class AdminEventBuffer : IDisposable
{
    private readonly Lock _sync = new();
    private readonly Dictionary<(long Second, string Type, string? SubType), long> _counts = new();
    private readonly TimeProvider _time;
    private readonly MeterListener? _listener;

    public AdminEventBuffer(SocketIOMetrics? metrics, TimeProvider time)
    {
        _time = time;
        if (metrics is null)
        {
            return;
        }

        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter == metrics.Meter && TypeOf(instrument.Name) is not null)
                {
                    listener.EnableMeasurementEvents(instrument, TypeOf(instrument.Name));
                }
            },
        };
        _listener.SetMeasurementEventCallback<long>(OnMeasurement);
        _listener.Start();
    }

    /// <summary>The buffered events, and a fresh buffer.</summary>
    public JsonArray TakeAll()
    {
        KeyValuePair<(long Second, string Type, string? SubType), long>[] all;
        lock (_sync)
        {
            all = [.. _counts];
            _counts.Clear();
        }

        var events = new JsonArray();
        foreach (var ((second, type, subType), count) in all)
        {
            var item = new JsonObject { ["timestamp"] = second * 1000, ["type"] = type };
            if (subType is not null)
            {
                item["subType"] = subType;
            }

            item["count"] = count;
            events.Add(item);
        }

        return events;
    }

    public void Dispose() => _listener?.Dispose();

    private static string? TypeOf(string instrument) => instrument switch
    {
        "socketio.server.connections" => "rawConnection",
        "socketio.server.disconnects" => "rawDisconnection",
        "socketio.server.packets.received" => "packetsIn",
        "socketio.server.packets.sent" => "packetsOut",
        "socketio.server.bytes.received" => "bytesIn",
        "socketio.server.bytes.sent" => "bytesOut",
        _ => null,
    };

    private void OnMeasurement(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        var type = (string)state!;
        string? subType = null;
        if (type == "rawDisconnection")
        {
            foreach (var tag in tags)
            {
                if (tag.Key == SocketIOMetrics.DisconnectReasonTag)
                {
                    subType = tag.Value as string;
                }
            }
        }

        var second = _time.GetUtcNow().ToUnixTimeSeconds();
        lock (_sync)
        {
            var key = (second, type, subType);
            _counts[key] = _counts.GetValueOrDefault(key) + value;
        }
    }
}
