using System.Data.Common;

namespace OpenChat.Storage.Schema;

/// <summary>
/// Brings every <see cref="ISchemaModule"/> up to date, one step per transaction, under a lock that makes
/// instances starting together against one PostgreSQL server take turns. A database whose module version
/// is newer than this build knows is refused rather than guessed at.
/// </summary>
internal sealed partial class SchemaMigrator(ChatDatabase database, IEnumerable<ISchemaModule> modules, TimeProvider time, ILogger<SchemaMigrator> logger)
{
    private const string VersionsTable = """
        CREATE TABLE IF NOT EXISTS schema_versions (
            module TEXT PRIMARY KEY,
            version INTEGER NOT NULL,
            updated_at BIGINT NOT NULL
        )
        """;

    /// <summary>Applies what is missing; returns the steps applied, as "module v".</summary>
    public async Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken)
    {
        var applied = new List<string>();
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        foreach (var module in modules)
        {
            Check(module);
            while (true)
            {
                await using var transaction = await database.BeginWriteAsync(connection, cancellationToken);
                await database.SerializeAsync(transaction, "schema", cancellationToken);
                await Execute(connection, transaction, VersionsTable, cancellationToken);
                var current = await CurrentVersionAsync(connection, transaction, module.Name, cancellationToken);
                var latest = module.Migrations.Count;
                if (current > latest)
                {
                    throw new ChatStoreException(
                        ChatStoreFailure.Incompatible,
                        $"The {database.Description} holds '{module.Name}' tables of version {current}, made by a newer OpenChat; this one knows version {latest}. Run the newer OpenChat, or restore a backup made with this one.");
                }

                if (current == latest)
                {
                    await transaction.CommitAsync(cancellationToken);
                    break;
                }

                var step = module.Migrations[current];
                await Execute(connection, transaction, step.For(database.Dialect), cancellationToken);
                await SetVersionAsync(connection, transaction, module.Name, step.Version, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                LogApplied(logger, module.Name, step.Version, step.Description, database.Description);
                applied.Add($"{module.Name} {step.Version}");
            }
        }

        return applied;
    }

    /// <summary>The version of a module recorded in the database; 0 when it has none yet.</summary>
    public static async Task<int> CurrentVersionAsync(DbConnection connection, DbTransaction? transaction, string module, CancellationToken cancellationToken)
    {
        await using var command = ChatDatabase.Command(connection, transaction, "SELECT version FROM schema_versions WHERE module = @module");
        ChatDatabase.Parameter(command, "module", module);
        return await command.ExecuteScalarAsync(cancellationToken) is { } value and not DBNull ? Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture) : 0;
    }

    private static void Check(ISchemaModule module)
    {
        for (var i = 0; i < module.Migrations.Count; i++)
        {
            if (module.Migrations[i].Version != i + 1)
            {
                throw new InvalidOperationException($"Schema module '{module.Name}' must number its migrations 1, 2, 3, ...; step {i + 1} says {module.Migrations[i].Version}.");
            }
        }
    }

    private async Task SetVersionAsync(DbConnection connection, DbTransaction transaction, string module, int version, CancellationToken cancellationToken)
    {
        const string Upsert = """
            INSERT INTO schema_versions (module, version, updated_at) VALUES (@module, @version, @now)
            ON CONFLICT (module) DO UPDATE SET version = excluded.version, updated_at = excluded.updated_at
            """;
        await using var command = ChatDatabase.Command(connection, transaction, Upsert);
        ChatDatabase.Parameter(command, "module", module);
        ChatDatabase.Parameter(command, "version", version);
        ChatDatabase.Parameter(command, "now", time.GetUtcNow().ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task Execute(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = ChatDatabase.Command(connection, transaction, sql);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(1, LogLevel.Information, "Schema {Module} migrated to version {Version} ({Description}) in the {Database}", EventName = "SchemaMigrated")]
    private static partial void LogApplied(ILogger logger, string module, int version, string description, string database);
}
