using OpenChat.SocketIO.Protocol;

namespace OpenChat.SocketIO;

/// <summary>
/// A binary packet being put together from the attachments that follow it, bounded in bytes (the packet
/// and all its attachments together) and in time: a client cannot park attachments in server memory by
/// announcing more than it sends.
/// </summary>
internal sealed class PacketAssembly : IDisposable
{
    private readonly long _maxBytes;
    private readonly ITimer _timer;

    public PacketAssembly(SocketPacket packet, long textBytes, long maxBytes, TimeSpan timeout, TimeProvider time, Action<PacketAssembly> timedOut)
    {
        Packet = packet;
        Bytes = textBytes;
        _maxBytes = maxBytes;
        _timer = time.CreateTimer(static s => ((State)s!).Fire(), new State(this, timedOut), timeout, Timeout.InfiniteTimeSpan);
    }

    public SocketPacket Packet { get; }

    /// <summary>Bytes of the packet and the attachments received so far.</summary>
    public long Bytes { get; private set; }

    public bool IsComplete => Packet.IsComplete;

    /// <summary>Adds the next attachment; false when the packet would pass the size bound.</summary>
    public bool TryAdd(ReadOnlyMemory<byte> attachment)
    {
        if (Bytes + attachment.Length > _maxBytes)
        {
            return false;
        }

        Bytes += attachment.Length;
        Packet.Attachments.Add(attachment);
        return true;
    }

    public void Dispose() => _timer.Dispose();

    private sealed record State(PacketAssembly Assembly, Action<PacketAssembly> TimedOut)
    {
        public void Fire() => TimedOut(Assembly);
    }
}
