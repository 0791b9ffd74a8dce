namespace OpenChat.Storage.Schema;

/// <summary>
/// The tables of stored history, in the steps the feature was built in: version 1 keeps the messages of
/// the single room; version 2 adds channels and moves every earlier message into <c>#general</c>; version 3
/// notes the account of a signed-in sender (none for guests and earlier messages), so history shows their
/// picture. Ids never repeat, even after retention deletes the newest rows (SQLite AUTOINCREMENT,
/// PostgreSQL identity columns), so a client's ids stay valid.
/// </summary>
internal sealed class HistorySchema : ISchemaModule
{
    public const string ModuleName = "history";

    /// <summary>The channel every client is in, and the only one original clients know.</summary>
    public const string GeneralChannel = "#general";

    public string Name => ModuleName;

    public IReadOnlyList<SchemaMigration> Migrations { get; } =
    [
        new(
            1,
            "messages",
            Sqlite: """
                CREATE TABLE messages (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    username TEXT NOT NULL,
                    text TEXT NOT NULL,
                    sent_at INTEGER NOT NULL
                );
                """,
            PostgreSql: """
                CREATE TABLE messages (
                    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    username TEXT NOT NULL,
                    text TEXT NOT NULL,
                    sent_at BIGINT NOT NULL
                );
                """),
        new(
            2,
            "channels; earlier messages belong to #general",
            Sqlite: """
                CREATE TABLE channels (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    name TEXT NOT NULL,
                    name_key TEXT NOT NULL UNIQUE,
                    created_at INTEGER NOT NULL
                );
                INSERT INTO channels (name, name_key, created_at) VALUES ('#general', '#general', CAST(strftime('%s', 'now') AS INTEGER) * 1000);
                ALTER TABLE messages ADD COLUMN channel_id INTEGER NOT NULL DEFAULT 0;
                UPDATE messages SET channel_id = (SELECT id FROM channels WHERE name_key = '#general');
                CREATE INDEX messages_by_channel ON messages (channel_id, id);
                """,
            PostgreSql: """
                CREATE TABLE channels (
                    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    name TEXT NOT NULL,
                    name_key TEXT NOT NULL UNIQUE,
                    created_at BIGINT NOT NULL
                );
                INSERT INTO channels (name, name_key, created_at) VALUES ('#general', '#general', (EXTRACT(EPOCH FROM now()) * 1000)::BIGINT);
                ALTER TABLE messages ADD COLUMN channel_id BIGINT NOT NULL DEFAULT 0;
                UPDATE messages SET channel_id = (SELECT id FROM channels WHERE name_key = '#general');
                ALTER TABLE messages ALTER COLUMN channel_id DROP DEFAULT;
                ALTER TABLE messages ADD CONSTRAINT messages_channel FOREIGN KEY (channel_id) REFERENCES channels (id);
                CREATE INDEX messages_by_channel ON messages (channel_id, id);
                """),
        new(
            3,
            "the sender's account, when signed in",
            Sqlite: "ALTER TABLE messages ADD COLUMN account_id INTEGER;",
            PostgreSql: "ALTER TABLE messages ADD COLUMN account_id BIGINT;"),
    ];
}
