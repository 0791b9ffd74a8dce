using Microsoft.Data.Sqlite;

namespace OpenChat.Tests.Storage;

/// <summary>Another connection holding a SQLite file's write lock (<c>BEGIN EXCLUSIVE</c>) until disposed, as another program would.</summary>
internal sealed class SqliteLock : IAsyncDisposable
{
    private readonly SqliteConnection _connection;

    private SqliteLock(SqliteConnection connection) => _connection = connection;

    public static async Task<SqliteLock> HoldAsync(string file)
    {
        var connection = new SqliteConnection($"Data Source={file};Pooling=false");
        await connection.OpenAsync();
        await using (var exclusive = new SqliteCommand("BEGIN EXCLUSIVE", connection))
        {
            await exclusive.ExecuteNonQueryAsync();
        }

        return new SqliteLock(connection);
    }

    public async ValueTask DisposeAsync()
    {
        await using (var rollback = new SqliteCommand("ROLLBACK", _connection))
        {
            await rollback.ExecuteNonQueryAsync();
        }

        await _connection.DisposeAsync();
    }
}
