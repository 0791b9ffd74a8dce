using Microsoft.Extensions.Logging;

namespace OpenChat.SocketIO.EngineIO;

// The outgoing side of a session: queueing frames.
public sealed partial class EngineSession
{
    /// <summary>Sends a text message.</summary>
    public bool Send(string text) => Send(EngineFrame.Text(EnginePacketType.Message, text));

    /// <summary>Sends a binary message.</summary>
    public bool Send(ReadOnlyMemory<byte> data) => Send(EngineFrame.Binary(data));

    internal bool Send(EngineFrame frame) => Send(new ReadOnlySpan<EngineFrame>(in frame));

    internal bool Send(ReadOnlySpan<EngineFrame> frames)
    {
        var queued = Enqueue(frames);
        Queue.Signal();
        return queued;
    }

    /// <summary>
    /// Queues frames without telling the transport: a broadcast queues under the lock that orders its
    /// packets, then calls <see cref="Flush"/> for each recipient once it has let go of it.
    /// </summary>
    internal bool Enqueue(ReadOnlySpan<EngineFrame> frames)
    {
        if (IsClosed)
        {
            return false;
        }

        if (Queue.TryEnqueue(frames))
        {
            return true;
        }

        if (!IsClosed)
        {
            Log.OutgoingQueueFull(_logger, Id, Queue.QueuedBytes);
            Metrics?.SlowConsumerDisconnected();
            Close(DisconnectReasons.TransportError, graceful: false);
        }

        return false;
    }

    /// <summary>Lets the transport write what <see cref="Enqueue"/> queued (it schedules a writer unless one is at work).</summary>
    internal void Flush() => Queue.Signal();

    internal void SendPing() => Send(EngineFrame.Ping);
}
