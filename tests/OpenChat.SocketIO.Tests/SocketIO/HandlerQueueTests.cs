using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace OpenChat.SocketIO.Tests.SocketIO;

/// <summary>
/// One socket's work: started in arrival order off the caller's thread, one at a time unless the concurrency
/// allows more, the CONNECT alone, and every waiting item counted in the connection's backlog.
/// </summary>
public sealed class HandlerQueueTests
{
    private readonly RecordingLogger _logger = new();
    private readonly IncomingBacklog _backlog = new(100);

    private static TaskCompletionSource Gate() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static Func<object?, ValueTask> Sync(Action action) => _ =>
    {
        action();
        return ValueTask.CompletedTask;
    };

    [Fact]
    public async Task Items_run_one_at_a_time_in_arrival_order_even_when_earlier_ones_await()
    {
        var queue = NewQueue(1);
        var log = new ConcurrentQueue<string>();
        var gate1 = Gate();
        var gate3 = Gate();
        var started = Gate();
        var done = Gate();

        Enqueue(queue, async _ =>
        {
            log.Enqueue("1 start");
            started.SetResult();
            await gate1.Task;
            log.Enqueue("1 end");
        });
        Enqueue(queue, Sync(() => log.Enqueue("2")));
        Enqueue(queue, async _ =>
        {
            log.Enqueue("3 start");
            await gate3.Task;
            log.Enqueue("3 end");
        });
        Enqueue(queue, Sync(() =>
        {
            log.Enqueue("4");
            done.SetResult();
        }));
        await started.Task.WithTimeout();

        Assert.Equal(["1 start"], log.ToArray());
        Assert.Equal(3, _backlog.Count);

        gate3.SetResult();
        gate1.SetResult();
        await done.Task.WithTimeout();

        Assert.Equal(["1 start", "1 end", "2", "3 start", "3 end", "4"], log.ToArray());
        Assert.Equal(0, _backlog.Count);
    }

    [Fact]
    public async Task Work_receives_its_own_state()
    {
        var queue = NewQueue(1);
        var seen = new ConcurrentQueue<object?>();
        var done = Gate();

        for (var i = 0; i < 5; i++)
        {
            Enqueue(queue, state =>
            {
                seen.Enqueue(state);
                return ValueTask.CompletedTask;
            }, i);
        }

        Enqueue(queue, Sync(done.SetResult));
        await done.Task.WithTimeout();

        Assert.Equal(new object?[] { 0, 1, 2, 3, 4 }, seen.ToArray());
    }

    [Fact]
    public async Task Work_runs_off_the_callers_thread_so_a_handler_that_blocks_does_not_hold_the_caller()
    {
        var queue = NewQueue(1);
        using var release = new ManualResetEventSlim();
        var finished = Gate();

        Enqueue(queue, Sync(() =>
        {
            release.Wait(TaskTimeouts.Default);
            finished.SetResult();
        }));

        // Enqueue returned although the item blocks its thread: the caller (the transport) reads on.
        Assert.False(finished.Task.IsCompleted);
        release.Set();
        await finished.Task.WithTimeout();
    }

    [Fact]
    public async Task A_failing_item_is_logged_and_later_items_still_run()
    {
        var queue = NewQueue(1);
        var log = new ConcurrentQueue<string>();
        var done = Gate();

        Enqueue(queue, _ => throw new InvalidOperationException("sync failure"));
        Enqueue(queue, Sync(() => log.Enqueue("after sync failure")));
        Enqueue(queue, async _ =>
        {
            await Task.Yield();
            throw new InvalidOperationException("async failure");
        });
        Enqueue(queue, Sync(() =>
        {
            log.Enqueue("after async failure");
            done.SetResult();
        }));
        await done.Task.WithTimeout();

        Assert.Equal(["after sync failure", "after async failure"], log.ToArray());
        Assert.Equal(["sync failure", "async failure"], _logger.Errors.Select(e => e.Message).ToArray());
    }

    [Fact]
    public async Task With_a_concurrency_of_two_a_slow_item_does_not_hold_the_next_but_a_third_waits_for_a_free_slot()
    {
        var queue = NewQueue(2);
        var log = new ConcurrentQueue<string>();
        var slow = Gate();
        var secondDone = Gate();
        var thirdDone = Gate();
        var firstStarted = Gate();
        var blocker = Gate();

        Enqueue(queue, async _ =>
        {
            log.Enqueue("1 start");
            firstStarted.SetResult();
            await slow.Task;
            log.Enqueue("1 end");
        });
        await firstStarted.Task.WithTimeout();
        Enqueue(queue, async _ =>
        {
            log.Enqueue("2 start");
            await blocker.Task;
            log.Enqueue("2 end");
            secondDone.SetResult();
        });
        Enqueue(queue, Sync(() =>
        {
            log.Enqueue("3");
            thirdDone.SetResult();
        }));

        // Two run at once; the third waits for a slot.
        await WaitUntilAsync(() => log.Contains("2 start"));
        Assert.Equal(2, queue.Running);
        Assert.False(thirdDone.Task.IsCompleted);

        blocker.SetResult();
        await secondDone.Task.WithTimeout();
        await thirdDone.Task.WithTimeout();
        Assert.DoesNotContain("1 end", log);

        slow.SetResult();
        await WaitUntilAsync(() => log.Contains("1 end"));
        Assert.Equal(["1 start", "2 start", "2 end", "3"], log.Take(4).ToArray());
    }

    [Fact]
    public async Task An_exclusive_item_runs_alone_and_what_follows_it_may_then_run_together()
    {
        var queue = NewQueue(4);
        var log = new ConcurrentQueue<string>();
        var connect = Gate();
        var connectStarted = Gate();
        var hold = Gate();
        var bothRunning = new CountdownEvent(2);

        Enqueue(queue, async _ =>
        {
            connectStarted.SetResult();
            await connect.Task;
            log.Enqueue("connect done");
        }, exclusive: true);
        await connectStarted.Task.WithTimeout();
        for (var i = 0; i < 2; i++)
        {
            var n = i;
            Enqueue(queue, async _ =>
            {
                log.Enqueue($"event {n}");
                bothRunning.Signal();
                await hold.Task;
            });
        }

        Assert.Equal(1, queue.Running);
        Assert.Empty(log);

        connect.SetResult();
        await WaitUntilAsync(() => bothRunning.IsSet);
        Assert.Equal("connect done", log.First());
        Assert.Equal(2, queue.Running);
        hold.SetResult();
        await WaitUntilAsync(() => queue.Running == 0);
    }

    [Fact]
    public async Task Closing_drops_what_waits_and_completes_once_the_running_item_returns()
    {
        var queue = NewQueue(1);
        var gate = Gate();
        var started = Gate();
        var ranLater = false;

        Enqueue(queue, async _ =>
        {
            started.SetResult();
            await gate.Task;
        });
        await started.Task.WithTimeout();
        Enqueue(queue, Sync(() => ranLater = true));
        Enqueue(queue, Sync(() => ranLater = true));
        Assert.Equal(2, _backlog.Count);

        var closed = queue.CloseAsync();

        Assert.False(closed.IsCompleted);
        Assert.Equal(0, _backlog.Count);
        gate.SetResult();
        await closed.WithTimeout();
        Assert.False(ranLater);
    }

    [Fact]
    public async Task Work_queued_after_closing_is_dropped_and_frees_its_place_in_the_backlog()
    {
        var queue = NewQueue(1);
        await queue.CloseAsync().WithTimeout();
        var ran = false;

        Enqueue(queue, Sync(() => ran = true));

        Assert.Equal(0, _backlog.Count);
        Assert.False(ran);
    }

    [Fact]
    public async Task A_full_backlog_refuses_more_until_an_item_starts_or_is_dropped()
    {
        var backlog = new IncomingBacklog(2);
        var queue = new HandlerQueue(1, backlog, _logger);
        var gate = Gate();
        var started = Gate();

        Assert.True(backlog.TryAdd());
        queue.Enqueue(async _ =>
        {
            started.SetResult();
            await gate.Task;
        }, null);
        await started.Task.WithTimeout();

        // The running item no longer counts: two more may wait, a third may not.
        Assert.True(backlog.TryAdd());
        queue.Enqueue(Sync(() => { }), null);
        Assert.True(backlog.TryAdd());
        queue.Enqueue(Sync(() => { }), null);
        Assert.False(backlog.TryAdd());
        var space = backlog.WhenSpaceAsync();
        Assert.False(space.IsCompleted);

        gate.SetResult();
        await space.WithTimeout();
        Assert.True(backlog.TryAdd());
        backlog.Remove();
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var limit = new CancellationTokenSource(TaskTimeouts.Default);
        while (!condition())
        {
            await Task.Delay(5, limit.Token);
        }
    }

    private HandlerQueue NewQueue(int concurrency) => new(concurrency, _backlog, _logger);

    private void Enqueue(HandlerQueue queue, Func<object?, ValueTask> work, object? state = null, bool exclusive = false)
    {
        Assert.True(_backlog.TryAdd());
        queue.Enqueue(work, state, exclusive);
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
