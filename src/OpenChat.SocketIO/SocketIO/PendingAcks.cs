namespace OpenChat.SocketIO;

/// <summary>
/// The acknowledgements a socket waits for, by ack id (ids come from the namespace's counter, which
/// broadcasts share), each with its own timeout. An entry either completes a task (an emit with ack) or
/// calls back (one recipient of a broadcast with acks, whose overall wait is the broadcaster's). Closed when
/// the socket disconnects: every entry fails at once, and so does any registered later.
/// </summary>
internal sealed class PendingAcks(int capacity, TimeProvider time, SocketIOMetrics? metrics = null)
{
    private readonly Dictionary<long, Pending> _pending = new();
    private Exception? _closed;

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

    /// <summary>
    /// Registers an emit's acknowledgement; its id is taken from <paramref name="nextId"/> only once there is
    /// room, so a refusal spends none. The task fails with <see cref="TimeoutException"/> after
    /// <paramref name="timeout"/>, is cancelled with <paramref name="cancellationToken"/>, and fails with the
    /// close error if the socket disconnects first.
    /// </summary>
    public (long Id, Task<EventArguments> Task) Register(Func<long> nextId, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var completion = new TaskCompletionSource<EventArguments>(TaskCreationOptions.RunContinuationsAsynchronously);
        var pending = new Pending(completion, null);
        var id = Add(nextId, pending, timeout, static (acks, ackId) => acks.Expire(ackId, new TimeoutException("The client did not acknowledge in time.")));
        if (cancellationToken.CanBeCanceled)
        {
            pending.Cancellation = cancellationToken.UnsafeRegister(
                static (s, token) =>
                {
                    var (acks, ackId) = ((PendingAcks, long))s!;
                    acks.Take(ackId)?.Cancel(token);
                },
                (this, id));
        }

        return (id, completion.Task);
    }

    public void Register(long id, TimeSpan timeout, Action<EventArguments> callback) =>
        Add(() => id, new Pending(null, callback), timeout, static (acks, ackId) => acks.Expire(ackId, null));

    public void Complete(long id, EventArguments args) => Take(id)?.Finish(args, null);

    public void Fail(long id, Exception error) => Take(id)?.Finish(null, error);

    /// <summary>Fails every pending entry with <paramref name="error"/>, and every entry registered from now on.</summary>
    public void Close(Exception error)
    {
        Pending[] all;
        lock (_pending)
        {
            _closed ??= error;
            all = [.. _pending.Values];
            _pending.Clear();
        }

        if (all.Length > 0)
        {
            metrics?.AcksSettled(all.Length);
        }

        foreach (var pending in all)
        {
            pending.Finish(null, error);
        }
    }

    private long Add(Func<long> nextId, Pending pending, TimeSpan timeout, Action<PendingAcks, long> onTimeout)
    {
        long id;
        lock (_pending)
        {
            if (_closed is not null)
            {
                id = nextId();
                pending.Finish(null, _closed);
                return id;
            }

            if (_pending.Count >= capacity)
            {
                throw new InvalidOperationException($"This socket already waits for {capacity} acknowledgements.");
            }

            id = nextId();
            _pending[id] = pending;
        }

        metrics?.AckRegistered();

        if (timeout != Timeout.InfiniteTimeSpan)
        {
            pending.Timer = time.CreateTimer(
                static s =>
                {
                    var (acks, ackId, expire) = ((PendingAcks, long, Action<PendingAcks, long>))s!;
                    expire(acks, ackId);
                },
                (this, id, onTimeout),
                timeout,
                Timeout.InfiniteTimeSpan);
        }

        return id;
    }

    private Pending? Take(long id)
    {
        Pending? taken;
        lock (_pending)
        {
            taken = _pending.Remove(id, out var pending) ? pending : null;
        }

        if (taken is not null)
        {
            metrics?.AcksSettled(1);
        }

        return taken;
    }

    private void Expire(long id, Exception? error)
    {
        if (Take(id) is { } pending)
        {
            metrics?.AckTimedOut();
            pending.Finish(null, error);
        }
    }

    private sealed class Pending(TaskCompletionSource<EventArguments>? completion, Action<EventArguments>? callback)
    {
        public ITimer? Timer { get; set; }

        public CancellationTokenRegistration Cancellation { get; set; }

        /// <summary>Completes with the client's answer, or fails; a callback entry just ends on failure or timeout.</summary>
        public void Finish(EventArguments? args, Exception? error)
        {
            Timer?.Dispose();
            Cancellation.Dispose();
            if (completion is not null)
            {
                if (args is not null)
                {
                    completion.TrySetResult(args);
                }
                else
                {
                    completion.TrySetException(error ?? new TimeoutException("The client did not acknowledge in time."));
                }
            }
            else if (args is not null)
            {
                callback!(args);
            }
        }

        public void Cancel(CancellationToken token)
        {
            Timer?.Dispose();
            completion?.TrySetCanceled(token);
        }
    }
}
