using System.Data.Common;

namespace OpenChat.Storage;

/// <summary>
/// The database the app's features keep their data in: embedded SQLite by default, or a PostgreSQL server
/// that several instances share. Features build their stores on it (history and accounts do) and add
/// their tables through <see cref="Schema.ISchemaModule"/> migrations. The differences between the two
/// engines that matter to callers live here: opening, write transactions, serializing writers, and turning
/// engine errors into <see cref="ChatStoreException"/> with words an operator can act on.
/// </summary>
public abstract class ChatDatabase : IAsyncDisposable
{
    /// <summary>Which SQL to speak.</summary>
    public abstract SqlDialect Dialect { get; }

    /// <summary>The file or server, for logs and error messages; never a password.</summary>
    public abstract string Description { get; }

    /// <summary>An open connection; dispose it to give it back to the pool.</summary>
    public abstract ValueTask<DbConnection> OpenConnectionAsync(CancellationToken cancellationToken);

    /// <summary>
    /// An open connection, opened synchronously: for the few callers behind a synchronous interface
    /// (ASP.NET Core data protection's key repository). Everything else uses <see cref="OpenConnectionAsync"/>.
    /// </summary>
    public abstract DbConnection OpenConnection();

    /// <summary>
    /// Starts a transaction that will write. SQLite takes the write lock at once (<c>BEGIN IMMEDIATE</c>), so a
    /// locked or read-only file fails here rather than half way through.
    /// </summary>
    public abstract ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>
    /// Makes concurrent writers of the same <paramref name="purpose"/> wait for each other until the transaction
    /// ends, across processes (SQLite's write lock already does; PostgreSQL takes an advisory lock).
    /// </summary>
    public abstract Task SerializeAsync(DbTransaction transaction, string purpose, CancellationToken cancellationToken);

    /// <summary>
    /// Inserts rows into a table whose <c>id</c> is an identity column, in one round trip where the engine
    /// allows, and returns the ids the rows got, in row order. Values are parameters, never SQL text.
    /// </summary>
    public abstract Task<long[]> InsertAllAsync(DbTransaction transaction, string table, IReadOnlyList<string> columns, IReadOnlyList<object?[]> rows, CancellationToken cancellationToken);

    /// <summary>The error as a <see cref="ChatStoreException"/> saying what failed while <paramref name="doing"/> and what to check.</summary>
    public abstract ChatStoreException Explain(Exception error, string doing);

    /// <summary>A command on the connection, in the transaction when given.</summary>
    public static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    /// <summary>Adds a named parameter (<c>@name</c> in the SQL of both dialects).</summary>
    public static DbParameter Parameter(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter;
    }

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
