using System.Data.Common;
using OpenChat.Storage.Schema;

namespace OpenChat.Storage;

/// <summary>
/// <see cref="IChatStore"/> on a <see cref="ChatDatabase"/>. Every statement takes its values as parameters,
/// never spliced into the SQL, so names and texts are stored exactly as sent. The single writer keeps one
/// connection and one prepared insert; reads take pooled connections and, in WAL mode, never wait for it.
/// </summary>
internal sealed partial class SqlChatStore(ChatDatabase database, SchemaMigrator migrator, ILogger<SqlChatStore> logger) : IChatStore, IAsyncDisposable
{
    private static readonly string[] MessageColumns = ["channel_id", "username", "text", "sent_at", "account_id"];
    private readonly SemaphoreSlim _writer = new(1, 1);
    private DbConnection? _writeConnection;

    public string Description => database.Description;

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await migrator.MigrateAsync(cancellationToken);

            // A database already up to date was only read so far: prove that it can be written.
            await using var connection = await database.OpenConnectionAsync(cancellationToken);
            await using var transaction = await database.BeginWriteAsync(connection, cancellationToken);
            await using var probe = ChatDatabase.Command(connection, transaction, "UPDATE schema_versions SET updated_at = updated_at WHERE module = @module");
            ChatDatabase.Parameter(probe, "module", HistorySchema.ModuleName);
            await probe.ExecuteNonQueryAsync(cancellationToken);
            await transaction.RollbackAsync(cancellationToken);
            LogReady(logger, database.Description);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw database.Explain(e, "opening it");
        }
    }

    public async Task<IReadOnlyList<long>> AppendAsync(IReadOnlyList<NewChatMessage> messages, CancellationToken cancellationToken)
    {
        await _writer.WaitAsync(cancellationToken);
        try
        {
            _writeConnection ??= await database.OpenConnectionAsync(cancellationToken);
            await using var transaction = await database.BeginWriteAsync(_writeConnection, cancellationToken);
            var rows = new object?[messages.Count][];
            for (var i = 0; i < messages.Count; i++)
            {
                var m = messages[i];
                rows[i] = [m.ChannelId, m.Username, m.Text, m.SentAt, m.AccountId];
            }

            var ids = await database.InsertAllAsync(transaction, "messages", MessageColumns, rows, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return ids;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The connection may be broken (a restarted server, a moved file): the next batch opens a new one.
            await DropWriteConnectionAsync();
            throw database.Explain(e, "storing messages");
        }
        finally
        {
            _writer.Release();
        }
    }

    public async Task<IReadOnlyList<StoredChatMessage>> ReadAsync(long channelId, long? beforeId, int limit, CancellationToken cancellationToken)
    {
        var sql = beforeId is null
            ? "SELECT id, channel_id, username, text, sent_at, account_id FROM messages WHERE channel_id = @channel ORDER BY id DESC LIMIT @limit"
            : "SELECT id, channel_id, username, text, sent_at, account_id FROM messages WHERE channel_id = @channel AND id < @before ORDER BY id DESC LIMIT @limit";
        try
        {
            await using var connection = await database.OpenConnectionAsync(cancellationToken);
            await using var command = ChatDatabase.Command(connection, null, sql);
            ChatDatabase.Parameter(command, "channel", channelId);
            ChatDatabase.Parameter(command, "limit", limit);
            if (beforeId is { } before)
            {
                ChatDatabase.Parameter(command, "before", before);
            }

            var newestFirst = new List<StoredChatMessage>(limit);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                newestFirst.Add(new StoredChatMessage(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.GetInt64(4), reader.IsDBNull(5) ? null : reader.GetInt64(5)));
            }

            newestFirst.Reverse();
            return newestFirst;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw database.Explain(e, "reading history");
        }
    }

    public async Task<IReadOnlyList<ChannelRecord>> ListChannelsAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await database.OpenConnectionAsync(cancellationToken);
            return await ReadChannelsAsync(connection, null, "SELECT id, name, created_at FROM channels ORDER BY id", null, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw database.Explain(e, "listing channels");
        }
    }

    public async Task<ChannelRecord?> FindChannelAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await database.OpenConnectionAsync(cancellationToken);
            var found = await ReadChannelsAsync(connection, null, "SELECT id, name, created_at FROM channels WHERE name_key = @key", key, cancellationToken);
            return found.Count > 0 ? found[0] : null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw database.Explain(e, "looking up a channel");
        }
    }

    public async Task<ChannelCreation> CreateChannelAsync(string name, long createdAt, int maxChannels, CancellationToken cancellationToken)
    {
        var key = ChannelKey.Of(name);
        try
        {
            await using var connection = await database.OpenConnectionAsync(cancellationToken);
            await using var transaction = await database.BeginWriteAsync(connection, cancellationToken);

            // Counting and inserting under one lock keeps the limit exact with several instances.
            await database.SerializeAsync(transaction, "channels", cancellationToken);
            var existing = await ReadChannelsAsync(connection, transaction, "SELECT id, name, created_at FROM channels WHERE name_key = @key", key, cancellationToken);
            if (existing.Count > 0)
            {
                await transaction.RollbackAsync(cancellationToken);
                return new ChannelCreation(ChannelCreationStatus.AlreadyExists, existing[0]);
            }

            await using (var count = ChatDatabase.Command(connection, transaction, "SELECT COUNT(*) FROM channels"))
            {
                if (Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) >= maxChannels)
                {
                    await transaction.RollbackAsync(cancellationToken);
                    return new ChannelCreation(ChannelCreationStatus.LimitReached, null);
                }
            }

            await using var insert = ChatDatabase.Command(connection, transaction, "INSERT INTO channels (name, name_key, created_at) VALUES (@name, @key, @created) RETURNING id");
            ChatDatabase.Parameter(insert, "name", name);
            ChatDatabase.Parameter(insert, "key", key);
            ChatDatabase.Parameter(insert, "created", createdAt);
            var id = Convert.ToInt64(await insert.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
            await transaction.CommitAsync(cancellationToken);
            return new ChannelCreation(ChannelCreationStatus.Created, new ChannelRecord(id, name, createdAt));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw database.Explain(e, "creating a channel");
        }
    }

    public async Task<long> DeleteMessagesSentBeforeAsync(long sentAt, CancellationToken cancellationToken)
    {
        // Ids follow the order messages were accepted, so the old messages are the first ids: each slice looks at
        // the oldest rows only (no index on sent_at to keep up on every insert) and the sweep stops at the first
        // slice that is not all old. Slices keep the write lock short, so the chat flows meanwhile.
        const int Slice = 5_000;
        const string Delete = "DELETE FROM messages WHERE id IN (SELECT id FROM (SELECT id, sent_at FROM messages ORDER BY id LIMIT @slice) AS oldest WHERE sent_at < @cutoff)";
        long total = 0;
        try
        {
            await using var connection = await database.OpenConnectionAsync(cancellationToken);
            while (true)
            {
                await using var transaction = await database.BeginWriteAsync(connection, cancellationToken);
                await using var command = ChatDatabase.Command(connection, transaction, Delete);
                ChatDatabase.Parameter(command, "cutoff", sentAt);
                ChatDatabase.Parameter(command, "slice", Slice);
                var deleted = await command.ExecuteNonQueryAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                total += deleted;
                if (deleted < Slice)
                {
                    return total;
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw database.Explain(e, "deleting old messages");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await DropWriteConnectionAsync();
        _writer.Dispose();
    }

    private async Task DropWriteConnectionAsync()
    {
        if (_writeConnection is { } connection)
        {
            _writeConnection = null;
            await connection.DisposeAsync();
        }
    }

    private static async Task<IReadOnlyList<ChannelRecord>> ReadChannelsAsync(DbConnection connection, DbTransaction? transaction, string sql, string? key, CancellationToken cancellationToken)
    {
        await using var command = ChatDatabase.Command(connection, transaction, sql);
        if (key is not null)
        {
            ChatDatabase.Parameter(command, "key", key);
        }

        var channels = new List<ChannelRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            channels.Add(new ChannelRecord(reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2)));
        }

        return channels;
    }

    [LoggerMessage(1, LogLevel.Information, "Chat history is kept in the {Database}", EventName = "StoreReady")]
    private static partial void LogReady(ILogger logger, string database);
}
