using Microsoft.Data.Sqlite;
using OpenChat.Storage;
using OpenChat.Tests.Infrastructure;

namespace OpenChat.Tests.Storage;

/// <summary>The store on a real SQLite file in a temp folder, and what only SQLite has: a file that can be locked or read-only.</summary>
public sealed class SqliteChatStoreTests : ChatStoreContract, IDisposable
{
    private readonly TempFolder _folder = new();

    internal override Task<StoreUnderTest> CreateAsync() => StoreUnderTest.Sqlite(_folder.File("openchat.db")).InitializedAsync();

    [Fact]
    public async Task The_file_and_its_missing_folders_are_created_on_first_use_in_wal_mode()
    {
        var file = Path.Combine(_folder.Path, "data", "nested", "openchat.db");
        await using (var store = await StoreUnderTest.Sqlite(file).InitializedAsync())
        {
        }

        Assert.True(File.Exists(file));
        await using var connection = new SqliteConnection($"Data Source={file};Pooling=false");
        await connection.OpenAsync();
        await using var mode = new SqliteCommand("PRAGMA journal_mode", connection);
        Assert.Equal("wal", await mode.ExecuteScalarAsync());
    }

    [Theory]
    [InlineData(SqliteDurability.Normal, 1)]
    [InlineData(SqliteDurability.Full, 2)]
    public async Task Every_connection_commits_with_the_configured_durability(SqliteDurability durability, long synchronous)
    {
        await using var store = await StoreUnderTest.Sqlite(_folder.File("openchat.db"), new StorageOptions { SqliteDurability = durability }).InitializedAsync();

        await using var connection = await store.Database.OpenConnectionAsync(CancellationToken.None);
        await using var pragma = OpenChat.Storage.ChatDatabase.Command(connection, null, "PRAGMA synchronous");

        Assert.Equal(synchronous, await pragma.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Ids_keep_increasing_after_the_file_is_opened_again()
    {
        var file = _folder.File("openchat.db");
        IReadOnlyList<long> before;
        await using (var first = await StoreUnderTest.Sqlite(file).InitializedAsync())
        {
            before = await first.AppendAsync(await first.GeneralAsync(), "a", "b");
        }

        await using var second = await StoreUnderTest.Sqlite(file).InitializedAsync();
        var after = await second.AppendAsync(await second.GeneralAsync(), "c");

        Assert.True(after[0] > before[^1]);
        Assert.Equal(["a", "b", "c"], (await second.Store.ReadAsync((await second.GeneralAsync()).Id, null, 10, CancellationToken.None)).Select(m => m.Text));
    }

    [Fact]
    public async Task History_can_be_read_while_another_process_holds_the_write_lock()
    {
        var file = _folder.File("openchat.db");
        await using var store = await StoreUnderTest.Sqlite(file).InitializedAsync();
        var general = await store.GeneralAsync();
        await store.AppendAsync(general, "readable");

        await using var holder = await SqliteLock.HoldAsync(file);

        Assert.Equal(["readable"], (await store.Store.ReadAsync(general.Id, null, 10, CancellationToken.None).WithTimeout()).Select(m => m.Text));
    }

    [Fact]
    public async Task A_locked_file_fails_to_start_and_writes_fail_with_the_reason_after_the_lock_timeout()
    {
        var file = _folder.File("openchat.db");
        var options = new StorageOptions { LockTimeout = TimeSpan.FromSeconds(1) };
        await using var store = await StoreUnderTest.Sqlite(file, options).InitializedAsync();
        var general = await store.GeneralAsync();

        await using (await SqliteLock.HoldAsync(file))
        {
            await using var another = StoreUnderTest.Sqlite(file, options);
            var refused = await Assert.ThrowsAsync<ChatStoreException>(() => another.Store.InitializeAsync(CancellationToken.None).WithTimeout());
            Assert.Equal(ChatStoreFailure.Locked, refused.Failure);
            Assert.Contains(file, refused.Message);
            Assert.Contains("locked by another process", refused.Message);

            var failed = await Assert.ThrowsAsync<ChatStoreException>(() => store.AppendAsync(general, "blocked"));
            Assert.Equal(ChatStoreFailure.Locked, failed.Failure);
        }

        // Once the lock is gone the same store writes again; the refused message was never stored.
        await store.AppendAsync(general, "through");
        Assert.Equal(["through"], (await store.Store.ReadAsync(general.Id, null, 10, CancellationToken.None)).Select(m => m.Text));
    }

    [Fact]
    public async Task A_read_only_file_fails_to_start_with_a_message_naming_it()
    {
        var file = _folder.File("openchat.db");
        await using (await StoreUnderTest.Sqlite(file).InitializedAsync())
        {
        }

        await using var readOnly = StoreUnderTest.Sqlite(file + ";Mode=ReadOnly");
        var refused = await Assert.ThrowsAsync<ChatStoreException>(() => readOnly.Store.InitializeAsync(CancellationToken.None).WithTimeout());

        Assert.Equal(ChatStoreFailure.ReadOnly, refused.Failure);
        Assert.Contains(file, refused.Message);
        Assert.Contains("read-only", refused.Message);
    }

    [Fact]
    public async Task A_file_that_is_not_a_database_fails_to_start_with_a_message_saying_so()
    {
        var file = _folder.File("openchat.db");
        await File.WriteAllTextAsync(file, "this is a text file, not SQLite; it is long enough to have a header page of sorts............................................");

        await using var store = StoreUnderTest.Sqlite(file);
        var refused = await Assert.ThrowsAsync<ChatStoreException>(() => store.Store.InitializeAsync(CancellationToken.None).WithTimeout());

        Assert.Equal(ChatStoreFailure.Incompatible, refused.Failure);
        Assert.Contains("is not a usable SQLite database", refused.Message);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }
}
