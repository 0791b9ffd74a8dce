using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenChat.Storage;
using OpenChat.Tests.Infrastructure;

namespace OpenChat.Tests.Storage;

/// <summary>
/// The writer on a real SQLite file. Another connection holding the file's write lock stands in for a slow
/// or stuck database: the writer's first batch waits on it while later messages gather behind.
/// </summary>
public sealed class BatchingMessageWriterTests : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private StoreUnderTest? _store;
    private ChannelRecord? _general;

    private string File => _folder.File("openchat.db");

    public async Task InitializeAsync()
    {
        _store = await StoreUnderTest.Sqlite(File, new StorageOptions { LockTimeout = TimeSpan.FromSeconds(1) }).InitializedAsync();
        _general = await _store.GeneralAsync();
    }

    [Fact]
    public async Task Messages_that_gather_during_a_write_share_one_transaction_and_complete_in_order_with_increasing_ids()
    {
        var writer = Start(new StorageOptions());
        var outcomes = new Outcomes();

        await using (await SqliteLock.HoldAsync(File))
        {
            for (var i = 0; i < 50; i++)
            {
                Assert.True(writer.TrySubmit(Message($"m{i}"), outcomes.For(i), out _));
            }
        }

        var done = await outcomes.AllAsync(50);
        Assert.All(done, o => Assert.True(o.Outcome.Stored));
        Assert.Equal(Enumerable.Range(0, 50), done.Select(o => o.Index));
        Assert.Equal(done.Select(o => o.Outcome.Id).Order(), done.Select(o => o.Outcome.Id));
        Assert.InRange(writer.Batches, 1, 2);
        Assert.Equal(50, (await _store!.Store.ReadAsync(_general!.Id, null, 100, CancellationToken.None)).Count);
        await writer.DrainAsync(CancellationToken.None).WithTimeout();
    }

    [Fact]
    public async Task A_batch_that_cannot_be_written_refuses_each_of_its_messages_with_the_reason_and_the_next_one_is_stored()
    {
        var writer = Start(new StorageOptions());
        var failed = new Outcomes();

        await using (await SqliteLock.HoldAsync(File))
        {
            for (var i = 0; i < 3; i++)
            {
                Assert.True(writer.TrySubmit(Message($"lost{i}"), failed.For(i), out _));
            }

            // The lock outlasts the store's one-second lock timeout.
            var refused = await failed.AllAsync(3);
            Assert.All(refused, o => Assert.Equal("Your message was not sent: the chat history is locked by another program. Try again in a moment.", o.Outcome.Failure));
        }

        var after = new Outcomes();
        Assert.True(writer.TrySubmit(Message("stored"), after.For(0), out _));
        Assert.True((await after.AllAsync(1))[0].Outcome.Stored);
        Assert.Equal(["stored"], (await _store!.Store.ReadAsync(_general!.Id, null, 10, CancellationToken.None)).Select(m => m.Text));
        await writer.DrainAsync(CancellationToken.None).WithTimeout();
    }

    [Fact]
    public async Task When_the_queue_is_full_new_messages_are_refused_at_once_and_every_accepted_one_is_stored()
    {
        var writer = Start(new StorageOptions { WriteQueueCapacity = 2, MaxBatchSize = 2 });
        var outcomes = new Outcomes();
        var accepted = new List<int>();
        var refusals = new List<string>();

        await using (await SqliteLock.HoldAsync(File))
        {
            for (var i = 0; i < 12; i++)
            {
                if (writer.TrySubmit(Message($"m{i}"), outcomes.For(i), out var refusal))
                {
                    accepted.Add(i);
                }
                else
                {
                    refusals.Add(refusal!);
                }
            }
        }

        // At most one batch waits on the lock, with a full queue behind it; the rest were turned away at once.
        Assert.InRange(accepted.Count, 2, 4);
        Assert.Equal(12 - accepted.Count, refusals.Count);
        Assert.All(refusals, r => Assert.Equal("The server is busy storing messages; your message was not sent. Try again in a moment.", r));
        var done = await outcomes.AllAsync(accepted.Count);
        Assert.Equal(accepted, done.Select(o => o.Index));
        Assert.All(done, o => Assert.True(o.Outcome.Stored));
        Assert.Equal(accepted.Select(i => $"m{i}"), (await _store!.Store.ReadAsync(_general!.Id, null, 20, CancellationToken.None)).Select(m => m.Text));
        await writer.DrainAsync(CancellationToken.None).WithTimeout();
    }

    [Fact]
    public async Task Draining_stores_every_queued_message_and_then_refuses_new_ones_as_the_server_stops()
    {
        var writer = Start(new StorageOptions());
        var outcomes = new Outcomes();
        Task drained;
        await using (await SqliteLock.HoldAsync(File))
        {
            for (var i = 0; i < 20; i++)
            {
                Assert.True(writer.TrySubmit(Message($"m{i}"), outcomes.For(i), out _));
            }

            drained = writer.DrainAsync(CancellationToken.None);
            Assert.False(writer.TrySubmit(Message("late"), _ => throw new InvalidOperationException("a refused message is never completed"), out var refusal));
            Assert.Equal("The server is shutting down; your message was not sent.", refusal);
        }

        await drained.WithTimeout();
        Assert.All(await outcomes.AllAsync(20), o => Assert.True(o.Outcome.Stored));
        Assert.Equal(20, (await _store!.Store.ReadAsync(_general!.Id, null, 50, CancellationToken.None)).Count);
    }

    public async Task DisposeAsync()
    {
        await _store!.DisposeAsync();
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    private BatchingMessageWriter Start(StorageOptions options)
    {
        var writer = new BatchingMessageWriter(_store!.Store, Options.Create(options), NullLogger<BatchingMessageWriter>.Instance);
        writer.Start();
        return writer;
    }

    private NewChatMessage Message(string text) => new(_general!.Id, "Ana", text, 1);

    /// <summary>Completions as they arrive, and a wait for a number of them.</summary>
    private sealed class Outcomes
    {
        private readonly Lock _sync = new();
        private readonly List<(int Index, WriteOutcome Outcome)> _arrived = new();
        private (int Count, TaskCompletionSource Done)? _waiting;

        public Action<WriteOutcome> For(int index) => outcome =>
        {
            lock (_sync)
            {
                _arrived.Add((index, outcome));
                if (_waiting is { } w && _arrived.Count >= w.Count)
                {
                    w.Done.TrySetResult();
                }
            }
        };

        public async Task<(int Index, WriteOutcome Outcome)[]> AllAsync(int count)
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_sync)
            {
                _waiting = (count, done);
                if (_arrived.Count >= count)
                {
                    done.TrySetResult();
                }
            }

            await done.Task.WithTimeout();
            lock (_sync)
            {
                return [.. _arrived];
            }
        }
    }
}
