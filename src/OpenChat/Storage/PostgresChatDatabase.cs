using System.Data.Common;
using System.Net.Sockets;
using Npgsql;

namespace OpenChat.Storage;

/// <summary>
/// A PostgreSQL server, for several instances sharing one history. Ids come from identity columns, so they
/// are unique across instances; schema changes and channel creation take transaction-scoped advisory
/// locks, so instances starting or creating channels at the same moment wait for each other.
/// </summary>
internal sealed class PostgresChatDatabase : ChatDatabase
{
    private readonly NpgsqlDataSource _dataSource;

    public PostgresChatDatabase(string connectionString, StorageOptions options)
    {
        var builder = new NpgsqlConnectionStringBuilder(PostgresConnectionString.FromUri(connectionString));
        var seconds = (int)Math.Ceiling(options.LockTimeout.TotalSeconds);

        // Unless the connection string says otherwise, a stuck server fails a write as soon as a locked SQLite file would.
        if (!Mentions(connectionString, "Command Timeout", "CommandTimeout"))
        {
            builder.CommandTimeout = seconds;
        }

        if (!Mentions(connectionString, "Timeout"))
        {
            builder.Timeout = seconds;
        }

        Description = $"PostgreSQL database {builder.Database ?? builder.Username} on {builder.Host}:{builder.Port}";
        _dataSource = NpgsqlDataSource.Create(builder);
    }

    public override SqlDialect Dialect => SqlDialect.PostgreSql;

    public override string Description { get; }

    public override async ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    public override DbConnection OpenConnection() => _dataSource.OpenConnection();

    public override async ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await ((NpgsqlConnection)connection).BeginTransactionAsync(cancellationToken);

    public override async Task SerializeAsync(DbTransaction transaction, string purpose, CancellationToken cancellationToken)
    {
        await using var command = Command(transaction.Connection!, transaction, "SELECT pg_advisory_xact_lock(@key)");
        Parameter(command, "key", LockKey(purpose));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public override async Task<long[]> InsertAllAsync(DbTransaction transaction, string table, IReadOnlyList<string> columns, IReadOnlyList<object?[]> rows, CancellationToken cancellationToken)
    {
        // One statement per row, all in one batch: one round trip, and the ids read back in row order.
        var sql = $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select((_, i) => "$" + (i + 1)))}) RETURNING id";
        await using var batch = new NpgsqlBatch((NpgsqlConnection)transaction.Connection!, (NpgsqlTransaction)transaction);
        foreach (var row in rows)
        {
            var command = new NpgsqlBatchCommand(sql);
            foreach (var value in row)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
            }

            batch.BatchCommands.Add(command);
        }

        var ids = new long[rows.Count];
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        for (var r = 0; r < rows.Count; r++)
        {
            if (r > 0)
            {
                await reader.NextResultAsync(cancellationToken);
            }

            await reader.ReadAsync(cancellationToken);
            ids[r] = reader.GetInt64(0);
        }

        return ids;
    }

    public override ChatStoreException Explain(Exception error, string doing)
    {
        switch (error)
        {
            case ChatStoreException known:
                return known;
            case PostgresException postgres:
                return postgres.SqlState switch
                {
                    "25006" or "42501" => new(ChatStoreFailure.ReadOnly, $"The {Description} does not let OpenChat write ({postgres.MessageText}) while {doing}. Use a primary server and a role that may create tables and write.", error),
                    "28P01" or "28000" => new(ChatStoreFailure.Unavailable, $"The {Description} refused the login ({postgres.MessageText}) while {doing}. Check the user and password in ConnectionStrings:Chat.", error),
                    "3D000" => new(ChatStoreFailure.Unavailable, $"The {Description} does not exist ({postgres.MessageText}) while {doing}. Create it first.", error),
                    "55P03" or "57014" => new(ChatStoreFailure.Locked, $"The {Description} did not answer in time (locked or overloaded: {postgres.MessageText}) while {doing}.", error),
                    "57P01" or "57P02" or "57P03" => new(ChatStoreFailure.Unavailable, $"The {Description} is shutting down or starting ({postgres.MessageText}) while {doing}.", error),
                    _ => new(ChatStoreFailure.Failed, $"The {Description} refused while {doing}: {postgres.MessageText} ({postgres.SqlState}).", error),
                };
            case NpgsqlException { InnerException: SocketException or IOException or TimeoutException } or TimeoutException:
                return new(ChatStoreFailure.Unavailable, $"The {Description} cannot be reached while {doing}: {error.Message}", error);
            case NpgsqlException npgsql:
                return new(ChatStoreFailure.Unavailable, $"The {Description} failed while {doing}: {npgsql.Message}", error);
            default:
                return new(ChatStoreFailure.Failed, $"Unexpected error while {doing} with the {Description}: {error.Message}", error);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync();
        await base.DisposeAsync();
    }

    private static bool Mentions(string connectionString, params string[] keys) =>
        connectionString.Split(';').Select(p => p.Split('=', 2)[0].Trim()).Any(k => keys.Contains(k, StringComparer.OrdinalIgnoreCase));

    // A stable 64-bit key per purpose (string.GetHashCode differs between processes).
    private static long LockKey(string purpose)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in "openchat:" + purpose)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return unchecked((long)hash);
    }
}
