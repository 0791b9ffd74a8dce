namespace OpenChat.SocketIO.EngineIO;

/// <summary>
/// One session's ordered outgoing packets, bounded by the bytes waiting in it. Whichever transport is
/// active reads it; writers take a short lock so a packet and its binary attachments stay contiguous.
/// A transport that writes on its own (WebSocket) attaches a reader callback, which <see cref="Signal"/>
/// calls once frames are queued (see WebSocketTransport.Pump); polling waits with <see cref="WaitToReadAsync"/>.
/// A plain queue under the lock rather than a channel: an idle connection holds a few dozen bytes here
/// instead of a channel's first segment (about 1.5 KB a connection, measured with dotnet-gcdump).
/// </summary>
internal sealed class OutgoingQueue
{
    private readonly Queue<EngineFrame> _frames = new();
    private readonly Lock _writeLock = new();
    private readonly long _maxBytes;
    private long _queuedBytes;
    private volatile int _count;
    private volatile bool _completed;
    private TaskCompletionSource<bool>? _waiter;
    private Action? _reader;

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

        TaskCompletionSource<bool>? waiter;
        lock (_writeLock)
        {
            if (_completed || _queuedBytes + size > _maxBytes)
            {
                return false;
            }

            foreach (var frame in frames)
            {
                _frames.Enqueue(frame);
            }

            _count = _frames.Count;
            Interlocked.Add(ref _queuedBytes, size);
            waiter = TakeWaiter();
        }

        waiter?.TrySetResult(true);
        return true;
    }

    public bool TryEnqueue(EngineFrame frame) => TryEnqueue(new ReadOnlySpan<EngineFrame>(in frame));

    /// <summary>Makes <paramref name="onQueued"/> the callback of <see cref="Signal"/>.</summary>
    public void AttachReader(Action onQueued) => Volatile.Write(ref _reader, onQueued);

    /// <summary>Removes <paramref name="onQueued"/> if it is still the attached callback.</summary>
    public void DetachReader(Action onQueued) => Interlocked.CompareExchange(ref _reader, null, onQueued);

    /// <summary>
    /// Tells the attached reader that frames were queued or the queue completed. Called outside the queue's
    /// lock; a broadcast calls it for each recipient once it has let go of the lock that orders its packets.
    /// </summary>
    public void Signal() => Volatile.Read(ref _reader)?.Invoke();

    public bool TryDequeue(out EngineFrame frame)
    {
        lock (_writeLock)
        {
            if (!_frames.TryDequeue(out frame))
            {
                return false;
            }

            _count = _frames.Count;
        }

        Interlocked.Add(ref _queuedBytes, -frame.Bytes.Length);
        return true;
    }

    public bool TryPeek(out EngineFrame frame)
    {
        lock (_writeLock)
        {
            return _frames.TryPeek(out frame);
        }
    }

    /// <summary>True when frames are waiting; false once completed and drained. Resumes on the thread pool.</summary>
    public ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken)
    {
        Task<bool> wait;
        lock (_writeLock)
        {
            if (_frames.Count > 0)
            {
                return ValueTask.FromResult(true);
            }

            if (_completed)
            {
                return ValueTask.FromResult(false);
            }

            _waiter ??= new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            wait = _waiter.Task;
        }

        return new ValueTask<bool>(wait.WaitAsync(cancellationToken));
    }

    public bool HasFrames => _count > 0;

    /// <summary>How many frames wait to be sent.</summary>
    public int Count => _count;

    /// <summary>True once the queue is completed and everything in it has been read.</summary>
    public bool IsDrained => _completed && _count == 0;

    /// <summary>Lets readers drain what is queued, then see the end. Nothing more can be added.</summary>
    public void Complete()
    {
        TaskCompletionSource<bool>? waiter;
        lock (_writeLock)
        {
            _completed = true;
            waiter = TakeWaiter();
        }

        waiter?.TrySetResult(_count > 0);
        Signal();
    }

    /// <summary>Adds a last frame and completes, so the transport's final write carries it.</summary>
    public void CompleteWith(EngineFrame last)
    {
        TaskCompletionSource<bool>? waiter;
        lock (_writeLock)
        {
            if (!_completed)
            {
                _frames.Enqueue(last);
                _count = _frames.Count;
                Interlocked.Add(ref _queuedBytes, last.Bytes.Length);
                _completed = true;
            }

            waiter = TakeWaiter();
        }

        waiter?.TrySetResult(_count > 0);
        Signal();
    }

    private TaskCompletionSource<bool>? TakeWaiter()
    {
        var waiter = _waiter;
        _waiter = null;
        return waiter;
    }
}
