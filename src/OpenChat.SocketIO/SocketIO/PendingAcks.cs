namespace OpenChat.SocketIO;

/// <summary>The acknowledgements a socket waits for, by ack id, each with its own timeout.</summary>
internal sealed class PendingAcks(int capacity, TimeProvider time)
{
    private readonly Dictionary<long, Pending> _pending = new();
    private long _nextId;

    public (long Id, Task<EventArguments> Task) Register(TimeSpan timeout)
    {
        var pending = new Pending(new TaskCompletionSource<EventArguments>(TaskCreationOptions.RunContinuationsAsynchronously));
        long id;
        lock (_pending)
        {
            if (_pending.Count >= capacity)
            {
                throw new InvalidOperationException($"This socket already waits for {capacity} acknowledgements.");
            }

            id = _nextId++;
            _pending[id] = pending;
        }

        if (timeout != Timeout.InfiniteTimeSpan)
        {
            pending.Timer = time.CreateTimer(
                static s =>
                {
                    var (acks, ackId) = ((PendingAcks, long))s!;
                    acks.Fail(ackId, new TimeoutException("The client did not acknowledge in time."));
                },
                (this, id),
                timeout,
                Timeout.InfiniteTimeSpan);
        }

        return (id, pending.Completion.Task);
    }

    public int Count
    {
        get
        {
            lock (_pending)
            {
                return _pending.Count;
            }
        }
    }

    public void Complete(long id, EventArguments args) => Take(id)?.Finish(p => p.Completion.TrySetResult(args));

    public void Fail(long id, Exception error) => Take(id)?.Finish(p => p.Completion.TrySetException(error));

    public void FailAll(Exception error)
    {
        Pending[] all;
        lock (_pending)
        {
            all = [.. _pending.Values];
            _pending.Clear();
        }

        foreach (var pending in all)
        {
            pending.Finish(p => p.Completion.TrySetException(error));
        }
    }

    private Pending? Take(long id)
    {
        lock (_pending)
        {
            return _pending.Remove(id, out var pending) ? pending : null;
        }
    }

    private sealed class Pending(TaskCompletionSource<EventArguments> completion)
    {
        public TaskCompletionSource<EventArguments> Completion { get; } = completion;

        public ITimer? Timer { get; set; }

        public void Finish(Action<Pending> complete)
        {
            Timer?.Dispose();
            complete(this);
        }
    }
}
