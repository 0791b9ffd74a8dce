using Microsoft.Extensions.Logging;

namespace OpenChat.SocketIO;

/// <summary>
/// The work of one socket (its CONNECT, then its events), started in arrival order on the thread pool, so
/// the transport goes on reading (acknowledgements must get through while a handler awaits one) and one
/// socket's handlers never hold another's. At most <c>concurrency</c> items run at once (1 by default: one
/// after another); an exclusive item (the CONNECT, whose handlers register the event handlers) runs alone.
/// Every queued item counts against the connection's <see cref="IncomingBacklog"/> until it starts.
/// </summary>
internal sealed partial class HandlerQueue(int concurrency, IncomingBacklog backlog, ILogger logger)
{
    private readonly Queue<Item> _items = new();
    private int _running;
    private bool _exclusiveRunning;
    private bool _closed;
    private TaskCompletionSource? _idle;

    /// <summary>Items running now (for tests).</summary>
    public int Running
    {
        get
        {
            lock (_items)
            {
                return _running;
            }
        }
    }

    /// <summary>
    /// Queues work the caller has counted in the backlog. It starts at once if a slot is free, else when
    /// the items before it allow. On a closed queue it is dropped.
    /// </summary>
    public void Enqueue(Func<object?, ValueTask> work, object? state, bool exclusive = false)
    {
        Item? start;
        lock (_items)
        {
            if (_closed)
            {
                start = null;
            }
            else
            {
                _items.Enqueue(new Item(work, state, exclusive));
                if (!TryTakeLocked(out start))
                {
                    return;
                }
            }
        }

        backlog.Remove();
        if (start is not null)
        {
            Start(start);
        }
    }

    /// <summary>
    /// Drops what has not started (the socket is gone, so it would be ignored anyway) and completes once the
    /// items still running have returned.
    /// </summary>
    public Task CloseAsync()
    {
        int dropped;
        Task idle;
        lock (_items)
        {
            _closed = true;
            dropped = _items.Count;
            _items.Clear();
            if (_running == 0)
            {
                idle = Task.CompletedTask;
            }
            else
            {
                _idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                idle = _idle.Task;
            }
        }

        if (dropped > 0)
        {
            backlog.Remove(dropped);
        }

        return idle;
    }

    private bool TryTakeLocked(out Item? item)
    {
        item = null;
        if (_items.Count == 0 || _exclusiveRunning || _running >= concurrency || (_items.Peek().Exclusive && _running > 0))
        {
            return false;
        }

        item = _items.Dequeue();
        _running++;
        _exclusiveRunning = item.Exclusive;
        return true;
    }

    private void Start(Item item) => ThreadPool.UnsafeQueueUserWorkItem(static s => _ = s.Queue.RunAsync(s.Item), (Queue: this, Item: item), preferLocal: false);

    /// <summary>Runs an item, then keeps taking the next one while the rules allow, so a busy queue hops to the pool once.</summary>
    private async Task RunAsync(Item item)
    {
        while (true)
        {
            try
            {
                await item.Work(item.State);
            }
            catch (Exception ex)
            {
                // Items handle their own errors (with the socket, namespace and event); this is the last resort.
                LogWorkFailed(logger, ex);
            }

            Item? next;
            List<Item>? more = null;
            TaskCompletionSource? idle = null;
            lock (_items)
            {
                _running--;
                if (item.Exclusive)
                {
                    _exclusiveRunning = false;
                }

                TryTakeLocked(out next);

                // After an exclusive item, up to the concurrency may start at once.
                while (TryTakeLocked(out var extra))
                {
                    (more ??= new()).Add(extra!);
                }

                if (_running == 0 && _closed)
                {
                    idle = _idle;
                }
            }

            var taken = (next is null ? 0 : 1) + (more?.Count ?? 0);
            if (taken > 0)
            {
                backlog.Remove(taken);
            }

            if (more is not null)
            {
                foreach (var extra in more)
                {
                    Start(extra);
                }
            }

            if (next is null)
            {
                idle?.TrySetResult();
                return;
            }

            item = next;
        }
    }

    private sealed record Item(Func<object?, ValueTask> Work, object? State, bool Exclusive);

    [LoggerMessage(40, LogLevel.Error, "A Socket.IO work item threw.", EventName = "HandlerFailed")]
    private static partial void LogWorkFailed(ILogger logger, Exception exception);
}
