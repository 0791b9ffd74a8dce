using Microsoft.Extensions.Logging;

namespace OpenChat.SocketIO;

/// <summary>
/// Runs one connection's work items one after another, in arrival order. Work starts inline on the caller
/// and continues in the background once an item awaits, so the transport keeps reading (acks must get
/// through while a handler awaits one). When <c>capacity</c> items wait, the caller is held back instead.
/// </summary>
internal sealed partial class SerialWorkQueue(int capacity, ILogger logger)
{
    private readonly Queue<(Func<object?, ValueTask> Work, object? State)> _items = new();
    private bool _running;
    private TaskCompletionSource? _spaceAvailable;

    /// <summary>Queues work; completes at once unless the queue is full. <paramref name="force"/> ignores the capacity.</summary>
    public ValueTask EnqueueAsync(Func<object?, ValueTask> work, object? state, bool force = false)
    {
        lock (_items)
        {
            if (!force && _items.Count >= capacity)
            {
                _spaceAvailable ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                return WaitForSpaceAsync(_spaceAvailable.Task, work, state);
            }

            _items.Enqueue((work, state));
            if (_running)
            {
                return ValueTask.CompletedTask;
            }

            _running = true;
        }

        _ = DrainAsync();
        return ValueTask.CompletedTask;
    }

    private async ValueTask WaitForSpaceAsync(Task space, Func<object?, ValueTask> work, object? state)
    {
        await space;
        await EnqueueAsync(work, state);
    }

    private async Task DrainAsync()
    {
        while (true)
        {
            (Func<object?, ValueTask> Work, object? State) item;
            TaskCompletionSource? space = null;
            lock (_items)
            {
                if (!_items.TryDequeue(out item))
                {
                    _running = false;
                    return;
                }

                if (_spaceAvailable is not null && _items.Count < capacity)
                {
                    space = _spaceAvailable;
                    _spaceAvailable = null;
                }
            }

            space?.TrySetResult();
            try
            {
                await item.Work(item.State);
            }
            catch (Exception ex)
            {
                LogWorkFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(40, LogLevel.Error, "A Socket.IO handler threw.", EventName = "HandlerFailed")]
    private static partial void LogWorkFailed(ILogger logger, Exception exception);
}
