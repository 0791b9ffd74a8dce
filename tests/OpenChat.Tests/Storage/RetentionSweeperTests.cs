using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OpenChat.Storage;
using OpenChat.Tests.Infrastructure;

namespace OpenChat.Tests.Storage;

/// <summary>Retention on virtual time: what is older than the retention goes, at start and at every interval; without one nothing does.</summary>
public sealed class RetentionSweeperTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TempFolder _folder = new();
    private readonly FakeTimeProvider _time = new(Start);
    private StoreUnderTest? _store;
    private ChannelRecord? _general;

    public async Task InitializeAsync()
    {
        _store = await StoreUnderTest.Sqlite(_folder.File("openchat.db")).InitializedAsync();
        _general = await _store.GeneralAsync();
    }

    [Fact]
    public async Task Messages_older_than_the_retention_are_deleted_at_start_and_then_at_every_interval()
    {
        await Append(("two days old", Start.AddDays(-2)), ("an hour old", Start.AddHours(-1)), ("fresh", Start));
        var sweeper = Sweeper(new StorageOptions { Retention = TimeSpan.FromDays(1), RetentionSweepInterval = TimeSpan.FromHours(12) });
        var sweeps = new SweepLog(sweeper);
        using var stop = new CancellationTokenSource();

        var running = sweeper.RunAsync(stop.Token);
        Assert.Equal(1, await sweeps.NextAsync());
        Assert.Equal(["an hour old", "fresh"], await TextsAsync());

        // One interval at a time (one tick each): half a day on, the hour-old one is still within the day...
        _time.Advance(TimeSpan.FromHours(12));
        Assert.Equal(0, await sweeps.NextAsync());

        // ...and a day on it is past it.
        _time.Advance(TimeSpan.FromHours(12));
        Assert.Equal(1, await sweeps.NextAsync());
        Assert.Equal(["fresh"], await TextsAsync());

        await stop.CancelAsync();
        await running.WithTimeout();
    }

    [Fact]
    public async Task Without_a_retention_nothing_is_ever_deleted()
    {
        await Append(("ten years old", Start.AddYears(-10)));
        var sweeper = Sweeper(new StorageOptions());

        await sweeper.RunAsync(CancellationToken.None).WithTimeout();

        Assert.False(sweeper.Enabled);
        Assert.Equal(0, await sweeper.SweepAsync(CancellationToken.None));
        Assert.Equal(["ten years old"], await TextsAsync());
    }

    public async Task DisposeAsync()
    {
        await _store!.DisposeAsync();
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }

    private RetentionSweeper Sweeper(StorageOptions options) =>
        new(_store!.Store, Options.Create(options), _time, NullLogger<RetentionSweeper>.Instance);

    private Task Append(params (string Text, DateTimeOffset At)[] messages) =>
        _store!.Store.AppendAsync(messages.Select(m => new NewChatMessage(_general!.Id, "Ana", m.Text, m.At.ToUnixTimeMilliseconds())).ToArray(), CancellationToken.None).WithTimeout();

    private async Task<string[]> TextsAsync() =>
        (await _store!.Store.ReadAsync(_general!.Id, null, 50, CancellationToken.None)).Select(m => m.Text).ToArray();

    /// <summary>Each sweep's count, in order, awaited one at a time.</summary>
    private sealed class SweepLog
    {
        private readonly System.Threading.Channels.Channel<long> _sweeps = System.Threading.Channels.Channel.CreateUnbounded<long>();

        public SweepLog(RetentionSweeper sweeper) => sweeper.Swept += deleted => _sweeps.Writer.TryWrite(deleted);

        public async Task<long> NextAsync() => await _sweeps.Reader.ReadAsync().AsTask().WithTimeout();
    }
}
