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
    public async Task Messages_that_gather_during_a_write_share_one_transaction_and_get_ids_in_the_order_sent()
    {
        var writer = Start(new StorageOptions());
        Task<WriteOutcome>[] written;

        await using (await SqliteLock.HoldAsync(File))
        {
            written = Enumerable.Range(0, 50).Select(i => writer.WriteAsync(Message($"m{i}")).AsTask()).ToArray();
            Assert.All(written, w => Assert.False(w.IsCompleted));
        }

        var outcomes = await Task.WhenAll(written).WithTimeout();
        Assert.All(outcomes, o => Assert.True(o.Stored));
        Assert.Equal(outcomes.Select(o => o.Id).Order(), outcomes.Select(o => o.Id));
        Assert.InRange(writer.Batches, 1, 2);
        var stored = await _store!.Store.ReadAsync(_general!.Id, null, 100, CancellationToken.None);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"m{i}"), stored.Select(m => m.Text));
        await writer.DrainAsync(CancellationToken.None).WithTimeout();
    }

    [Fact]
    public async Task A_batch_that_cannot_be_written_refuses_each_of_its_messages_with_the_reason_and_the_next_one_is_stored()
    {
        var writer = Start(new StorageOptions());

        await using (await SqliteLock.HoldAsync(File))
        {
            // The lock outlasts the store's one-second lock timeout.
            var refused = await Task.WhenAll(Enumerable.Range(0, 3).Select(i => writer.WriteAsync(Message($"lost{i}")).AsTask())).WithTimeout();
            Assert.All(refused, o => Assert.Equal("Your message was not sent: the chat history is locked by another program. Try again in a moment.", o.Failure));
        }

        Assert.True((await writer.WriteAsync(Message("stored")).AsTask().WithTimeout()).Stored);
        Assert.Equal(["stored"], (await _store!.Store.ReadAsync(_general!.Id, null, 10, CancellationToken.None)).Select(m => m.Text));
        await writer.DrainAsync(CancellationToken.None).WithTimeout();
    }

    [Fact]
    public async Task When_the_queue_is_full_new_messages_are_refused_at_once_and_every_accepted_one_is_stored()
    {
        var writer = Start(new StorageOptions { WriteQueueCapacity = 2, MaxBatchSize = 2 });
        Task<WriteOutcome>[] written;

        await using (await SqliteLock.HoldAsync(File))
        {
            written = Enumerable.Range(0, 12).Select(i => writer.WriteAsync(Message($"m{i}")).AsTask()).ToArray();
        }

        // At most one batch waited on the lock, with a full queue behind it; the rest were turned away at once.
        var refusedAtOnce = written.Where(w => w.IsCompletedSuccessfully && !w.Result.Stored).ToArray();
        var outcomes = await Task.WhenAll(written).WithTimeout();
        var accepted = Enumerable.Range(0, 12).Where(i => outcomes[i].Stored).ToArray();
        Assert.InRange(accepted.Length, 2, 4);
        Assert.Equal(12 - accepted.Length, refusedAtOnce.Length);
        Assert.All(outcomes.Where(o => !o.Stored), o => Assert.Equal("The server is busy storing messages; your message was not sent. Try again in a moment.", o.Failure));
        Assert.Equal(accepted.Select(i => $"m{i}"), (await _store!.Store.ReadAsync(_general!.Id, null, 20, CancellationToken.None)).Select(m => m.Text));
        await writer.DrainAsync(CancellationToken.None).WithTimeout();
    }

    [Fact]
    public async Task Draining_stores_every_queued_message_and_then_refuses_new_ones_as_the_server_stops()
    {
        var writer = Start(new StorageOptions());
        Task<WriteOutcome>[] written;
        Task drained;
        await using (await SqliteLock.HoldAsync(File))
        {
            written = Enumerable.Range(0, 20).Select(i => writer.WriteAsync(Message($"m{i}")).AsTask()).ToArray();
            drained = writer.DrainAsync(CancellationToken.None);
            var late = await writer.WriteAsync(Message("late"));
            Assert.Equal("The server is shutting down; your message was not sent.", late.Failure);
        }

        await drained.WithTimeout();
        Assert.All(await Task.WhenAll(written).WithTimeout(), o => Assert.True(o.Stored));
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
}
