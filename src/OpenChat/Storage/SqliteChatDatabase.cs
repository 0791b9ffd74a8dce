using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace OpenChat.Storage;

/// <summary>
/// An embedded SQLite file in WAL mode: readers never wait for the writer, and a commit needs no disk
/// flush unless <see cref="SqliteDurability.Full"/> asks for one. The file and its folder are created on
/// first use.
/// </summary>
internal sealed class SqliteChatDatabase : ChatDatabase
{
    // SQLite's primary result codes (https://sqlite.org/rescode.html).
    private const int Busy = 5;
    private const int Locked = 6;
    private const int ReadOnlyCode = 8;
    private const int CantOpen = 14;
    private const int Corrupt = 11;
    private const int NotADatabase = 26;
    private const int Full = 13;
    private const int IoError = 10;

    private readonly string _connectionString;
    private readonly string _pragmas;
    private volatile bool _walSet;

    public SqliteChatDatabase(string connectionString, StorageOptions options)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (string.IsNullOrWhiteSpace(builder.DataSource) || builder.DataSource == ":memory:" || builder.Mode == SqliteOpenMode.Memory)
        {
            throw new ChatStoreException(
                ChatStoreFailure.Unavailable,
                "ConnectionStrings:Chat must name a SQLite file (Data Source=path/to/openchat.db); for a chat that keeps nothing on disk, set Storage:Enabled=false.");
        }

        builder.DataSource = Path.GetFullPath(builder.DataSource);
        builder.DefaultTimeout = (int)Math.Ceiling(options.LockTimeout.TotalSeconds);
        builder.Pooling = true;
        FilePath = builder.DataSource;
        ReadOnlyMode = builder.Mode == SqliteOpenMode.ReadOnly;
        _connectionString = builder.ToString();
        _pragmas = options.SqliteDurability == SqliteDurability.Full ? "PRAGMA synchronous = FULL;" : "PRAGMA synchronous = NORMAL;";
    }

    public string FilePath { get; }

    /// <summary>Whether the connection string itself asks for read-only access (<c>Mode=ReadOnly</c>).</summary>
    public bool ReadOnlyMode { get; }

    public override SqlDialect Dialect => SqlDialect.Sqlite;

    public override string Description => $"SQLite file {FilePath}";

    public override async ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        var connection = NewConnection();
        try
        {
            await connection.OpenAsync(cancellationToken);
            if (!_walSet && !ReadOnlyMode)
            {
                // Write-ahead logging is a property of the file: set once, it stays. Readers then never wait for the writer.
                await using var wal = Command(connection, null, "PRAGMA journal_mode = WAL;");
                await wal.ExecuteNonQueryAsync(cancellationToken);
                _walSet = true;
            }

            await using var pragmas = Command(connection, null, _pragmas);
            await pragmas.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public override DbConnection OpenConnection()
    {
        // SQLite's asynchronous calls complete synchronously anyway; this is the same open without the tasks.
        var connection = NewConnection();
        try
        {
            connection.Open();
            if (!_walSet && !ReadOnlyMode)
            {
                using var wal = Command(connection, null, "PRAGMA journal_mode = WAL;");
                wal.ExecuteNonQuery();
                _walSet = true;
            }

            using var pragmas = Command(connection, null, _pragmas);
            pragmas.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private SqliteConnection NewConnection()
    {
        if (!ReadOnlyMode)
        {
            // First run: the data folder may not exist yet.
            Directory.CreateDirectory(Path.GetDirectoryName(FilePath)!);
        }

        return new SqliteConnection(_connectionString);
    }

    public override ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        ValueTask.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));

    // The write lock taken by BEGIN IMMEDIATE is held for the whole transaction: writers already wait.
    public override Task SerializeAsync(DbTransaction transaction, string purpose, CancellationToken cancellationToken) => Task.CompletedTask;

    public override async Task<long[]> InsertAllAsync(DbTransaction transaction, string table, IReadOnlyList<string> columns, IReadOnlyList<object?[]> rows, CancellationToken cancellationToken)
    {
        // One prepared statement stepped per row; the id comes from sqlite3_last_insert_rowid, which is far
        // cheaper than RETURNING (that builds a result set per row). Table and column names come from code;
        // every value is a parameter.
        var connection = (SqliteConnection)transaction.Connection!;
        await using var command = Command(connection, transaction, $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select((_, i) => "@p" + i))})");
        var parameters = columns.Select((_, i) => Parameter(command, "p" + i, null)).ToArray();
        var ids = new long[rows.Count];
        for (var r = 0; r < rows.Count; r++)
        {
            for (var c = 0; c < parameters.Length; c++)
            {
                parameters[c].Value = rows[r][c] ?? DBNull.Value;
            }

            await command.ExecuteNonQueryAsync(cancellationToken);
            ids[r] = SQLitePCL.raw.sqlite3_last_insert_rowid(connection.Handle);
        }

        return ids;
    }

    public override ChatStoreException Explain(Exception error, string doing)
    {
        if (error is ChatStoreException known)
        {
            return known;
        }

        if (error is SqliteException sqlite)
        {
            return sqlite.SqliteErrorCode switch
            {
                ReadOnlyCode => new(ChatStoreFailure.ReadOnly, $"The chat database {FilePath} is read-only ({sqlite.Message}) while {doing}. OpenChat must write to it and to its folder: check the permissions of both, or point ConnectionStrings:Chat (or Storage:DataFolder) elsewhere.", error),
                Busy or Locked => new(ChatStoreFailure.Locked, $"The chat database {FilePath} is locked by another process (for more than Storage:LockTimeout) while {doing}. Is another program holding it open for writing?", error),
                CantOpen => new(ChatStoreFailure.Unavailable, $"The chat database {FilePath} cannot be opened ({sqlite.Message}) while {doing}. Check that its folder exists and can be written.", error),
                Corrupt or NotADatabase => new(ChatStoreFailure.Incompatible, $"{FilePath} is not a usable SQLite database ({sqlite.Message}) while {doing}. Move it away to start with an empty history, or restore a backup.", error),
                Full => new(ChatStoreFailure.Failed, $"The disk holding the chat database {FilePath} is full while {doing}.", error),
                IoError => new(ChatStoreFailure.Failed, $"The disk failed while {doing} with the chat database {FilePath} ({sqlite.Message}).", error),
                _ => new(ChatStoreFailure.Failed, $"SQLite refused while {doing} with {FilePath}: {sqlite.Message}", error),
            };
        }

        if (error is UnauthorizedAccessException or IOException)
        {
            return new(ChatStoreFailure.Unavailable, $"The folder of the chat database {FilePath} cannot be created or written while {doing}: {error.Message}", error);
        }

        return new(ChatStoreFailure.Failed, $"Unexpected error while {doing} with {FilePath}: {error.Message}", error);
    }

    public override ValueTask DisposeAsync()
    {
        // Closes pooled connections so the WAL is checkpointed and the file can be moved or deleted.
        using (var connection = new SqliteConnection(_connectionString))
        {
            SqliteConnection.ClearPool(connection);
        }

        return base.DisposeAsync();
    }
}
