using System.Data.Common;
using OpenChat.Storage;
using OpenChat.Storage.Schema;
using OpenChat.Tests.Infrastructure;

namespace OpenChat.Tests.Storage.Schema;

/// <summary>Upgrading databases made by earlier versions, refusing ones made by later versions, and other features' tables on the same path.</summary>
public abstract class SchemaMigratorContract
{
    internal abstract Task<StoreUnderTest> OpenAsync(IReadOnlyList<ISchemaModule> modules);

    [Fact]
    public async Task A_database_of_version_one_is_upgraded_and_its_messages_are_then_in_general_with_their_ids()
    {
        long[] oldIds;
        await using (var v1 = await OpenAsync([new PartOf(new HistorySchema(), 1)]))
        {
            Assert.Equal(["history 1"], await v1.Migrator.MigrateAsync(CancellationToken.None).WithTimeout());
            await using var connection = await v1.Database.OpenConnectionAsync(CancellationToken.None);
            oldIds = [await InsertV1Async(connection, "Ana", "before channels", 100), await InsertV1Async(connection, "Ben", "'; DROP TABLE channels; --", 200)];
        }

        await using var current = await OpenAsync([new HistorySchema()]);
        await current.Store.InitializeAsync(CancellationToken.None).WithTimeout();

        var general = await current.GeneralAsync();
        var read = await current.Store.ReadAsync(general.Id, null, 10, CancellationToken.None).WithTimeout();
        Assert.Equal(oldIds, read.Select(m => m.Id));
        Assert.Equal(["before channels", "'; DROP TABLE channels; --"], read.Select(m => m.Text));
        Assert.Equal(["Ana", "Ben"], read.Select(m => m.Username));
        var next = await current.AppendAsync(general, "after the upgrade");
        Assert.True(next[0] > oldIds[^1]);
        await using var check = await current.Database.OpenConnectionAsync(CancellationToken.None);
        Assert.Equal(3, await SchemaMigrator.CurrentVersionAsync(check, null, "history", CancellationToken.None));
    }

    [Fact]
    public async Task A_database_made_by_a_newer_version_is_refused_and_left_alone()
    {
        await using (var newer = await OpenAsync([new WithExtraStep(new HistorySchema())]))
        {
            await newer.Store.InitializeAsync(CancellationToken.None).WithTimeout();
        }

        await using var current = await OpenAsync([new HistorySchema()]);
        var refused = await Assert.ThrowsAsync<ChatStoreException>(() => current.Store.InitializeAsync(CancellationToken.None).WithTimeout());

        Assert.Equal(ChatStoreFailure.Incompatible, refused.Failure);
        Assert.Contains("version 4, made by a newer OpenChat; this one knows version 3", refused.Message);
    }

    [Fact]
    public async Task Another_feature_adds_its_tables_through_the_same_path_with_its_own_version()
    {
        await using (var withHistory = await OpenAsync([new HistorySchema()]))
        {
            await withHistory.Store.InitializeAsync(CancellationToken.None).WithTimeout();
            await withHistory.AppendAsync(await withHistory.GeneralAsync(), "kept");
        }

        // A later release adds accounts: only its steps run; history is already up to date.
        await using var later = await OpenAsync([new HistorySchema(), new AccountsExample()]);
        Assert.Equal(["accounts-example 1", "accounts-example 2"], await later.Migrator.MigrateAsync(CancellationToken.None).WithTimeout());

        await using var connection = await later.Database.OpenConnectionAsync(CancellationToken.None);
        await using (var insert = ChatDatabase.Command(connection, null, "INSERT INTO example_users (name, password_hash, avatar) VALUES (@n, @h, @a)"))
        {
            ChatDatabase.Parameter(insert, "n", "Ana");
            ChatDatabase.Parameter(insert, "h", "hash");
            ChatDatabase.Parameter(insert, "a", "ana.png");
            Assert.Equal(1, await insert.ExecuteNonQueryAsync());
        }

        Assert.Equal(2, await SchemaMigrator.CurrentVersionAsync(connection, null, "accounts-example", CancellationToken.None));
        Assert.Equal(3, await SchemaMigrator.CurrentVersionAsync(connection, null, "history", CancellationToken.None));
        Assert.Equal(["kept"], (await later.Store.ReadAsync((await later.GeneralAsync()).Id, null, 10, CancellationToken.None)).Select(m => m.Text));
    }

    [Fact]
    public async Task A_module_whose_steps_are_not_numbered_one_two_three_is_a_programming_error()
    {
        await using var store = await OpenAsync([new Misnumbered()]);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.Migrator.MigrateAsync(CancellationToken.None).WithTimeout());

        Assert.Contains("must number its migrations 1, 2, 3", error.Message);
    }

    private static async Task<long> InsertV1Async(DbConnection connection, string username, string text, long sentAt)
    {
        await using var command = ChatDatabase.Command(connection, null, "INSERT INTO messages (username, text, sent_at) VALUES (@u, @t, @s) RETURNING id");
        ChatDatabase.Parameter(command, "u", username);
        ChatDatabase.Parameter(command, "t", text);
        ChatDatabase.Parameter(command, "s", sentAt);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A module as an earlier release had it: its first steps only.</summary>
    private sealed class PartOf(ISchemaModule module, int steps) : ISchemaModule
    {
        public string Name => module.Name;

        public IReadOnlyList<SchemaMigration> Migrations => module.Migrations.Take(steps).ToArray();
    }

    /// <summary>A module as a later release might have it: one step more.</summary>
    private sealed class WithExtraStep(ISchemaModule module) : ISchemaModule
    {
        public string Name => module.Name;

        public IReadOnlyList<SchemaMigration> Migrations =>
            [.. module.Migrations, new(module.Migrations.Count + 1, "future", "CREATE TABLE future (id INTEGER)", "CREATE TABLE future (id INTEGER)")];
    }

    /// <summary>What the accounts feature will look like: users with password hashes and avatars, in two steps.</summary>
    private sealed class AccountsExample : ISchemaModule
    {
        public string Name => "accounts-example";

        public IReadOnlyList<SchemaMigration> Migrations { get; } =
        [
            new(1, "users", "CREATE TABLE example_users (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE, password_hash TEXT NOT NULL)",
                "CREATE TABLE example_users (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name TEXT NOT NULL UNIQUE, password_hash TEXT NOT NULL)"),
            new(2, "avatars", "ALTER TABLE example_users ADD COLUMN avatar TEXT", "ALTER TABLE example_users ADD COLUMN avatar TEXT"),
        ];
    }

    private sealed class Misnumbered : ISchemaModule
    {
        public string Name => "misnumbered";

        public IReadOnlyList<SchemaMigration> Migrations { get; } = [new(2, "skips one", "SELECT 1", "SELECT 1")];
    }
}

public sealed class SqliteSchemaMigratorTests : SchemaMigratorContract, IDisposable
{
    private readonly TempFolder _folder = new();

    internal override Task<StoreUnderTest> OpenAsync(IReadOnlyList<ISchemaModule> modules) =>
        Task.FromResult(StoreUnderTest.Sqlite(_folder.File("openchat.db"), modules: modules));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresSchemaMigratorTests(PostgresServer server) : SchemaMigratorContract
{
    private string? _database;

    internal override async Task<StoreUnderTest> OpenAsync(IReadOnlyList<ISchemaModule> modules) =>
        StoreUnderTest.Postgres(_database ??= await server.CreateDatabaseAsync(), modules: modules);
}
