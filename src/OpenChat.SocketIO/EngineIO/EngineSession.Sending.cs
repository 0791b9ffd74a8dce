using Microsoft.Extensions.Logging;

namespace OpenChat.SocketIO.EngineIO;

// The outgoing side of a session: queueing frames, and knowing when the transport wrote them.
public sealed partial class EngineSession
{
    private List<(long Frames, TaskCompletionSource Sent)>? _sendWaiters;
    private long _sentFrames;

    /// <summary>Sends a text message.</summary>
    public bool Send(string text) => Send(EngineFrame.Text(EnginePacketType.Message, text));

    /// <summary>Sends a binary message.</summary>
    public bool Send(ReadOnlyMemory<byte> data) => Send(EngineFrame.Binary(data));

    internal bool Send(EngineFrame frame) => Send(new ReadOnlySpan<EngineFrame>(in frame));

    internal bool Send(ReadOnlySpan<EngineFrame> frames)
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

    /// <summary>
    /// Completes once every frame queued before the call has been written to the client (or the session
    /// ended), so a caller can make sure a packet travels on its own before the next ones are queued.
    /// </summary>
    internal Task WhenSentAsync()
    {
        lock (_sync)
        {
            var target = Queue.EnqueuedFrames;
            if (_sentFrames >= target || _state == EngineSessionState.Closed)
            {
                return Task.CompletedTask;
            }

            var sent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            (_sendWaiters ??= new()).Add((target, sent));
            return sent.Task;
        }
    }

    /// <summary>The transport wrote <paramref name="count"/> queued frames to the client.</summary>
    internal void OnFramesSent(int count)
    {
        Metrics?.PacketsSent(count);
        List<TaskCompletionSource>? done = null;
        lock (_sync)
        {
            _sentFrames += count;
            if (_sendWaiters is null)
            {
                return;
            }

            for (var i = _sendWaiters.Count - 1; i >= 0; i--)
            {
                if (_sendWaiters[i].Frames <= _sentFrames)
                {
                    (done ??= new()).Add(_sendWaiters[i].Sent);
                    _sendWaiters.RemoveAt(i);
                }
            }
        }

        done?.ForEach(static d => d.TrySetResult());
    }

    private void SendPing() => Send(EngineFrame.Ping);
}
