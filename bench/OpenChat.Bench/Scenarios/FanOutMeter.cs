using System.Buffers.Text;
using System.Diagnostics;
using OpenChat.Bench.Client;
using OpenChat.Bench.Measurement;
using OpenChat.Bench.Protocol;

namespace OpenChat.Bench.Scenarios;

/// <summary>
/// Counts deliveries and latencies of one fan-out level. Messages stamped before the level began are
/// stragglers of the previous level and are ignored. Senders are told when their own message came back,
/// which paces the closed-loop level.
/// </summary>
internal sealed class FanOutMeter : ChatFrameHandler
{
    private readonly long[] _deliveredInWindow;
    private readonly SemaphoreSlim?[] _senderWindows;
    private long _levelStart = long.MaxValue;
    private long _sendEnd = long.MaxValue;

    public FanOutMeter(int clients, int senders)
    {
        _deliveredInWindow = new long[clients];
        _senderWindows = new SemaphoreSlim?[senders];
    }

    public LatencyHistogram Latency { get; private set; } = new();

    public void StartLevel(long startTimestamp, IReadOnlyList<SemaphoreSlim>? senderWindows)
    {
        Latency = new LatencyHistogram();
        Array.Clear(_deliveredInWindow);
        for (var i = 0; i < _senderWindows.Length; i++)
        {
            _senderWindows[i] = senderWindows?[i];
        }

        Volatile.Write(ref _sendEnd, long.MaxValue);
        Volatile.Write(ref _levelStart, startTimestamp);
    }

    public void EndSending(long timestamp) => Volatile.Write(ref _sendEnd, timestamp);

    public long DeliveredInWindow => _deliveredInWindow.Sum();

    public override void OnChatMessage(IChatClient client, ReadOnlySpan<byte> frame)
    {
        var now = Stopwatch.GetTimestamp();
        if (!ChatFrameParser.TryReadChatMessage(frame, out var sender, out var sentAt) || sentAt < Volatile.Read(ref _levelStart))
        {
            return;
        }

        Latency.RecordTicks(now - sentAt);
        if (now <= Volatile.Read(ref _sendEnd) && client.Index < _deliveredInWindow.Length)
        {
            _deliveredInWindow[client.Index]++;
        }

        // A sender seeing its own message frees a slot in its closed-loop window.
        if (client.Index < _senderWindows.Length
            && _senderWindows[client.Index] is { } window
            && sender.Length > 1
            && Utf8Parser.TryParse(sender[1..], out int senderIndex, out _)
            && senderIndex == client.Index)
        {
            window.Release();
        }
    }
}
