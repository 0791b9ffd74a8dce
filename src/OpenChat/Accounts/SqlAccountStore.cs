using System.Data.Common;
using System.Globalization;
using OpenChat.Storage;

namespace OpenChat.Accounts;

/// <summary>
/// <see cref="IAccountStore"/> on the chat's <see cref="ChatDatabase"/>, in the tables of the
/// <c>accounts</c> schema module. Every value is a parameter. Account creation checks and inserts under one
/// lock, so two instances registering one name at the same moment give it to one of them.
/// </summary>
internal sealed class SqlAccountStore(ChatDatabase database) : IAccountStore
{
    private const string SelectAccount = """
        SELECT a.id, a.name, a.password_hash, a.created_at, v.version
        FROM accounts a LEFT JOIN avatars v ON v.account_id = a.id
        """;

    public async Task<AccountCreation> CreateAsync(string name, string nameKey, string passwordHash, long createdAt, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await database.OpenConnectionAsync(cancellationToken);
            await using var transaction = await database.BeginWriteAsync(connection, cancellationToken);
            await database.SerializeAsync(transaction, "accounts", cancellationToken);
            if (await ReadAccountAsync(connection, transaction, SelectAccount + " WHERE a.name_key = @value", nameKey, cancellationToken) is not null)
            {
                await transaction.RollbackAsync(cancellationToken);
                return new AccountCreation(AccountCreationStatus.NameTaken, null);
            }

            await using var insert = ChatDatabase.Command(connection, transaction, "INSERT INTO accounts (name, name_key, password_hash, created_at) VALUES (@name, @key, @hash, @created) RETURNING id");
            ChatDatabase.Parameter(insert, "name", name);
            ChatDatabase.Parameter(insert, "key", nameKey);
            ChatDatabase.Parameter(insert, "hash", passwordHash);
            ChatDatabase.Parameter(insert, "created", createdAt);
            var id = Convert.ToInt64(await insert.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
            await transaction.CommitAsync(cancellationToken);
            return new AccountCreation(AccountCreationStatus.Created, new AccountRecord(id, name, passwordHash, createdAt, null));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw database.Explain(e, "creating an account");
        }
    }

    public Task<AccountRecord?> FindByKeyAsync(string nameKey, CancellationToken cancellationToken) =>
        FindAsync(SelectAccount + " WHERE a.name_key = @value", nameKey, cancellationToken);

    public Task<AccountRecord?> FindByIdAsync(long id, CancellationToken cancellationToken) =>
        FindAsync(SelectAccount + " WHERE a.id = @value", id, cancellationToken);

    public Task UpdatePasswordHashAsync(long id, string passwordHash, CancellationToken cancellationToken) =>
        WriteAsync("UPDATE accounts SET password_hash = @hash WHERE id = @id", [("hash", passwordHash), ("id", id)], "updating a password", cancellationToken);

    public Task SetAvatarAsync(long accountId, AvatarImage image, long updatedAt, CancellationToken cancellationToken) =>
        WriteAsync(
            """
            INSERT INTO avatars (account_id, version, content_type, width, height, image, updated_at)
            VALUES (@id, @version, @type, @width, @height, @image, @updated)
            ON CONFLICT (account_id) DO UPDATE SET version = excluded.version, content_type = excluded.content_type,
                width = excluded.width, height = excluded.height, image = excluded.image, updated_at = excluded.updated_at
            """,
            [("id", accountId), ("version", image.Version), ("type", image.ContentType), ("width", image.Width), ("height", image.Height), ("image", image.Bytes), ("updated", updatedAt)],
            "storing an avatar",
            cancellationToken);

    public async Task<bool> DeleteAvatarAsync(long accountId, CancellationToken cancellationToken) =>
        await WriteAsync("DELETE FROM avatars WHERE account_id = @id", [("id", accountId)], "removing an avatar", cancellationToken) > 0;

    public async Task<AvatarImage?> GetAvatarAsync(long accountId, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await database.OpenConnectionAsync(cancellationToken);
            await using var command = ChatDatabase.Command(connection, null, "SELECT content_type, width, height, image, version FROM avatars WHERE account_id = @id");
            ChatDatabase.Parameter(command, "id", accountId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            return new AvatarImage(reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2), (byte[])reader.GetValue(3), reader.GetString(4));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw database.Explain(e, "reading an avatar");
        }
    }

    public async Task<IReadOnlyDictionary<long, string>> AvatarVersionsAsync(IReadOnlyCollection<long> accountIds, CancellationToken cancellationToken)
    {
        var versions = new Dictionary<long, string>();
        if (accountIds.Count == 0)
        {
            return versions;
        }

        try
        {
            await using var connection = await database.OpenConnectionAsync(cancellationToken);
            var ids = accountIds.Distinct().ToArray();
            await using var command = ChatDatabase.Command(connection, null, $"SELECT account_id, version FROM avatars WHERE account_id IN ({string.Join(", ", ids.Select((_, i) => "@a" + i.ToString(CultureInfo.InvariantCulture)))})");
            for (var i = 0; i < ids.Length; i++)
            {
                ChatDatabase.Parameter(command, "a" + i.ToString(CultureInfo.InvariantCulture), ids[i]);
            }

            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                versions[reader.GetInt64(0)] = reader.GetString(1);
            }

            return versions;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw database.Explain(e, "reading avatars");
        }
    }

    private async Task<AccountRecord?> FindAsync(string sql, object value, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await database.OpenConnectionAsync(cancellationToken);
            return await ReadAccountAsync(connection, null, sql, value, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw database.Explain(e, "looking up an account");
        }
    }

    private async Task<int> WriteAsync(string sql, (string Name, object Value)[] parameters, string doing, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await database.OpenConnectionAsync(cancellationToken);
            await using var transaction = await database.BeginWriteAsync(connection, cancellationToken);
            await using var command = ChatDatabase.Command(connection, transaction, sql);
            foreach (var (name, value) in parameters)
            {
                ChatDatabase.Parameter(command, name, value);
            }

            var changed = await command.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return changed;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw database.Explain(e, doing);
        }
    }

    private static async Task<AccountRecord?> ReadAccountAsync(DbConnection connection, DbTransaction? transaction, string sql, object value, CancellationToken cancellationToken)
    {
        await using var command = ChatDatabase.Command(connection, transaction, sql);
        ChatDatabase.Parameter(command, "value", value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new AccountRecord(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.IsDBNull(4) ? null : reader.GetString(4));
    }
}
