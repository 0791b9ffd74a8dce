using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using OpenChat.SocketIO.Tests.Infrastructure;

namespace OpenChat.SocketIO.Tests.SocketIO;

/// <summary>One connection's handlers run one after another, in arrival order, with a bounded backlog.</summary>
public sealed class SerialWorkQueueTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly RecordingLogger _logger = new();

    private static TaskCompletionSource Gate() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static Func<object?, ValueTask> Sync(Action action) => _ =>
    {
        action();
        return ValueTask.CompletedTask;
    };

    [Fact]
    public void Work_on_an_idle_queue_runs_inline_before_enqueue_returns()
    {
        var queue = new SerialWorkQueue(10, _logger);
        object? seen = null;

        var enqueued = queue.EnqueueAsync(state =>
        {
            seen = state;
            return ValueTask.CompletedTask;
        }, "state");

        Assert.True(enqueued.IsCompletedSuccessfully);
        Assert.Equal("state", seen);
    }

    [Fact]
    public async Task Items_run_in_order_even_when_earlier_ones_await()
    {
        var queue = new SerialWorkQueue(10, _logger);
        var log = new ConcurrentQueue<string>();
        var gate1 = Gate();
        var gate3 = Gate();
        var done = Gate();

        await queue.EnqueueAsync(async _ =>
        {
            log.Enqueue("1 start");
            await gate1.Task;
            log.Enqueue("1 end");
        }, null).WithTimeout(Timeout);
        await queue.EnqueueAsync(Sync(() => log.Enqueue("2")), null).WithTimeout(Timeout);
        await queue.EnqueueAsync(async _ =>
        {
            log.Enqueue("3 start");
            await gate3.Task;
            log.Enqueue("3 end");
        }, null).WithTimeout(Timeout);
        await queue.EnqueueAsync(Sync(() =>
        {
            log.Enqueue("4");
            done.SetResult();
        }), null).WithTimeout(Timeout);

        Assert.Equal(["1 start"], log.ToArray());

        gate3.SetResult();
        gate1.SetResult();
        await done.Task.WithTimeout(Timeout);

        Assert.Equal(["1 start", "1 end", "2", "3 start", "3 end", "4"], log.ToArray());
    }

    [Fact]
    public async Task Work_receives_its_own_state()
    {
        var queue = new SerialWorkQueue(10, _logger);
        var seen = new ConcurrentQueue<object?>();
        var gate = Gate();
        var done = Gate();

        await queue.EnqueueAsync(async _ => await gate.Task, null).WithTimeout(Timeout);
        for (var i = 0; i < 5; i++)
        {
            await queue.EnqueueAsync(state =>
            {
                seen.Enqueue(state);
                return ValueTask.CompletedTask;
            }, i).WithTimeout(Timeout);
        }

        await queue.EnqueueAsync(Sync(done.SetResult), null).WithTimeout(Timeout);
        gate.SetResult();
        await done.Task.WithTimeout(Timeout);

        Assert.Equal(new object?[] { 0, 1, 2, 3, 4 }, seen.ToArray());
    }

    [Fact]
    public async Task A_failing_item_is_logged_and_later_items_still_run()
    {
        var queue = new SerialWorkQueue(10, _logger);
        var log = new ConcurrentQueue<string>();
        var gate = Gate();
        var done = Gate();

        await queue.EnqueueAsync(async _ => await gate.Task, null).WithTimeout(Timeout);
        await queue.EnqueueAsync(_ => throw new InvalidOperationException("sync failure"), null).WithTimeout(Timeout);
        await queue.EnqueueAsync(Sync(() => log.Enqueue("after sync failure")), null).WithTimeout(Timeout);
        await queue.EnqueueAsync(async _ =>
        {
            await Task.Yield();
            throw new InvalidOperationException("async failure");
        }, null).WithTimeout(Timeout);
        await queue.EnqueueAsync(Sync(() =>
        {
            log.Enqueue("after async failure");
            done.SetResult();
        }), null).WithTimeout(Timeout);

        gate.SetResult();
        await done.Task.WithTimeout(Timeout);

        Assert.Equal(["after sync failure", "after async failure"], log.ToArray());
        Assert.Equal(["sync failure", "async failure"], _logger.Errors.Select(e => e.Message).ToArray());
    }

    [Fact]
    public async Task A_failing_first_item_on_an_idle_queue_does_not_throw_to_the_caller()
    {
        var queue = new SerialWorkQueue(10, _logger);
        var ran = false;

        await queue.EnqueueAsync(_ => throw new InvalidOperationException("boom"), null).WithTimeout(Timeout);
        await queue.EnqueueAsync(Sync(() => ran = true), null).WithTimeout(Timeout);

        Assert.True(ran);
        Assert.Single(_logger.Errors);
    }

    [Fact]
    public async Task A_full_queue_holds_the_caller_back_until_space_frees()
    {
        var queue = new SerialWorkQueue(1, _logger);
        var log = new ConcurrentQueue<string>();
        var gate = Gate();
        var done = Gate();

        // A runs (and is no longer waiting); B fills the single slot.
        await queue.EnqueueAsync(async _ =>
        {
            await gate.Task;
            log.Enqueue("A");
        }, null).WithTimeout(Timeout);
        await queue.EnqueueAsync(Sync(() => log.Enqueue("B")), null).WithTimeout(Timeout);

        var c = queue.EnqueueAsync(Sync(() =>
        {
            log.Enqueue("C");
            done.SetResult();
        }), null).AsTask();

        Assert.False(c.IsCompleted);
        Assert.Empty(log);

        gate.SetResult();
        await c.WithTimeout(Timeout);
        await done.Task.WithTimeout(Timeout);

        Assert.Equal(["A", "B", "C"], log.ToArray());
    }

    [Fact]
    public async Task Forced_work_is_queued_even_when_the_queue_is_full()
    {
        var queue = new SerialWorkQueue(1, _logger);
        var log = new ConcurrentQueue<string>();
        var gate = Gate();
        var done = Gate();

        await queue.EnqueueAsync(async _ => await gate.Task, null).WithTimeout(Timeout);
        await queue.EnqueueAsync(Sync(() => log.Enqueue("B")), null).WithTimeout(Timeout);

        var forced = queue.EnqueueAsync(Sync(() =>
        {
            log.Enqueue("forced");
            done.SetResult();
        }), null, force: true);

        Assert.True(forced.IsCompletedSuccessfully);

        gate.SetResult();
        await done.Task.WithTimeout(Timeout);
        Assert.Equal(["B", "forced"], log.ToArray());
    }

    [Fact]
    public async Task A_held_back_caller_is_released_once_the_backlog_drains_below_capacity()
    {
        var queue = new SerialWorkQueue(2, _logger);
        var log = new ConcurrentQueue<int>();
        var gates = Enumerable.Range(0, 4).Select(_ => Gate()).ToArray();
        var done = Gate();

        for (var i = 0; i < 3; i++)
        {
            var n = i;
            await queue.EnqueueAsync(async _ =>
            {
                await gates[n].Task;
                log.Enqueue(n);
            }, null).WithTimeout(Timeout);
        }

        var fourth = queue.EnqueueAsync(Sync(() =>
        {
            log.Enqueue(3);
            done.SetResult();
        }), null).AsTask();
        Assert.False(fourth.IsCompleted);

        gates[0].SetResult();
        await fourth.WithTimeout(Timeout);

        gates[1].SetResult();
        gates[2].SetResult();
        await done.Task.WithTimeout(Timeout);
        Assert.Equal([0, 1, 2, 3], log.ToArray());
    }

    [Fact]
    public async Task A_queue_that_emptied_starts_again_on_the_next_item()
    {
        var queue = new SerialWorkQueue(10, _logger);
        var gate = Gate();
        var first = Gate();
        var second = Gate();

        await queue.EnqueueAsync(async _ =>
        {
            await gate.Task;
            first.SetResult();
        }, null).WithTimeout(Timeout);
        gate.SetResult();
        await first.Task.WithTimeout(Timeout);

        await queue.EnqueueAsync(Sync(second.SetResult), null).WithTimeout(Timeout);
        await second.Task.WithTimeout(Timeout);
    }

    private sealed class RecordingLogger : ILogger
    {
        private readonly ConcurrentQueue<Exception> _errors = new();

        public IEnumerable<Exception> Errors => _errors;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Error && exception is not null)
            {
                _errors.Enqueue(exception);
            }
        }
    }
}
