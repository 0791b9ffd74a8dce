using System.Threading.Channels;
using OpenChat.SocketIO.EngineIO;

namespace OpenChat.SocketIO.EngineIO;

/// <summary>
/// One session's ordered outgoing packets, bounded by the bytes waiting in it. Whichever transport is
/// active reads it; writers take a short lock so a packet and its binary attachments stay contiguous.
/// </summary>
internal sealed class OutgoingQueue
{
    private readonly Channel<EngineFrame> _channel = Channel.CreateUnbounded<EngineFrame>(
        new UnboundedChannelOptions { SingleReader = false, SingleWriter = false });
    private readonly Lock _writeLock = new();
    private readonly long _maxBytes;
    private long _queuedBytes;

    public OutgoingQueue(long maxBytes) => _maxBytes = maxBytes;

    public long QueuedBytes => Interlocked.Read(ref _queuedBytes);

    /// <summary>Adds frames atomically; false when the queue is completed or the byte bound would be exceeded.</summary>
    public bool TryEnqueue(ReadOnlySpan<EngineFrame> frames)
    {
        long size = 0;
        foreach (var frame in frames)
        {
            size += frame.Bytes.Length;
        }

        lock (_writeLock)
        {
            if (_queuedBytes + size > _maxBytes)
            {
                return false;
            }

            foreach (var frame in frames)
            {
                if (!_channel.Writer.TryWrite(frame))
                {
                    return false;
                }
            }

            Interlocked.Add(ref _queuedBytes, size);
            return true;
        }
    }

    public bool TryEnqueue(EngineFrame frame) => TryEnqueue(new ReadOnlySpan<EngineFrame>(in frame));

    public bool TryDequeue(out EngineFrame frame)
    {
        if (!_channel.Reader.TryRead(out frame))
        {
            return false;
        }

        Interlocked.Add(ref _queuedBytes, -frame.Bytes.Length);
        return true;
    }

    public bool TryPeek(out EngineFrame frame) => _channel.Reader.TryPeek(out frame);

    /// <summary>True when frames are waiting; false once completed and drained.</summary>
    public ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken) => _channel.Reader.WaitToReadAsync(cancellationToken);

    public bool HasFrames => _channel.Reader.Count > 0;

    /// <summary>How many frames wait to be sent.</summary>
    public int Count => _channel.Reader.Count;

    /// <summary>True once the queue is completed and everything in it has been read.</summary>
    public bool IsDrained => _channel.Reader.Completion.IsCompleted;

    /// <summary>Lets readers drain what is queued, then see the end. Nothing more can be added.</summary>
    public void Complete()
    {
        lock (_writeLock)
        {
            _channel.Writer.TryComplete();
        }
    }

    /// <summary>Adds a last frame and completes, so the transport's final write carries it.</summary>
    public void CompleteWith(EngineFrame last)
    {
        lock (_writeLock)
        {
            if (_channel.Writer.TryWrite(last))
            {
                Interlocked.Add(ref _queuedBytes, last.Bytes.Length);
            }

            _channel.Writer.TryComplete();
        }
    }
}
