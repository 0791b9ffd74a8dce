using Microsoft.Extensions.Logging.Abstractions;
using OpenChat.Storage;
using OpenChat.Storage.Schema;

namespace OpenChat.Tests.Storage;

/// <summary>A store built as the app builds it, on a SQLite file or a PostgreSQL database, for tests that use it directly.</summary>
internal sealed class StoreUnderTest : IAsyncDisposable
{
    private StoreUnderTest(ChatDatabase database, IReadOnlyList<ISchemaModule> modules, TimeProvider time)
    {
        Database = database;
        Migrator = new SchemaMigrator(database, modules, time, NullLogger<SchemaMigrator>.Instance);
        Store = new SqlChatStore(database, Migrator, NullLogger<SqlChatStore>.Instance);
    }

    public ChatDatabase Database { get; }

    public SchemaMigrator Migrator { get; }

    public SqlChatStore Store { get; }

    public static StoreUnderTest Sqlite(string file, StorageOptions? options = null, IReadOnlyList<ISchemaModule>? modules = null, TimeProvider? time = null) =>
        new(new SqliteChatDatabase($"Data Source={file}", options ?? new StorageOptions()), modules ?? [new HistorySchema()], time ?? TimeProvider.System);

    public static StoreUnderTest Postgres(string connectionString, StorageOptions? options = null, IReadOnlyList<ISchemaModule>? modules = null, TimeProvider? time = null) =>
        new(new PostgresChatDatabase(connectionString, options ?? new StorageOptions()), modules ?? [new HistorySchema()], time ?? TimeProvider.System);

    /// <summary>Initialized, as the app does at start.</summary>
    public async Task<StoreUnderTest> InitializedAsync()
    {
        await Store.InitializeAsync(CancellationToken.None).WithTimeout();
        return this;
    }

    public async Task<ChannelRecord> GeneralAsync() => (await Store.FindChannelAsync("#general", CancellationToken.None).WithTimeout())!;

    public async Task<IReadOnlyList<long>> AppendAsync(ChannelRecord channel, params string[] texts) =>
        await Store.AppendAsync(texts.Select((t, i) => new NewChatMessage(channel.Id, "Ana", t, 1_000 + i)).ToArray(), CancellationToken.None).WithTimeout();

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        await Database.DisposeAsync();
    }
}
