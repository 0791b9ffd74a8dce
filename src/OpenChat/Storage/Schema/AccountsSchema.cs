namespace OpenChat.Storage.Schema;

/// <summary>
/// The tables of accounts and avatars. <c>accounts</c> holds each registered name as typed and in its
/// compared form (<c>name_key</c>, unique: a name is registered once, whatever its case or compatibility
/// form) with its password hash; <c>avatars</c> holds at most one image per account, with the format and
/// pixel size checked at upload; <c>data_protection_keys</c> holds the keys that sign-in cookies and
/// antiforgery tokens are protected with, so every instance sharing the database reads every other's
/// cookies and a restart signs nobody out.
/// </summary>
internal sealed class AccountsSchema : ISchemaModule
{
    public const string ModuleName = "accounts";

    public string Name => ModuleName;

    public IReadOnlyList<SchemaMigration> Migrations { get; } =
    [
        new(
            1,
            "accounts, avatars and data protection keys",
            Sqlite: """
                CREATE TABLE accounts (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    name TEXT NOT NULL,
                    name_key TEXT NOT NULL UNIQUE,
                    password_hash TEXT NOT NULL,
                    created_at INTEGER NOT NULL
                );
                CREATE TABLE avatars (
                    account_id INTEGER PRIMARY KEY REFERENCES accounts (id),
                    version TEXT NOT NULL,
                    content_type TEXT NOT NULL,
                    width INTEGER NOT NULL,
                    height INTEGER NOT NULL,
                    image BLOB NOT NULL,
                    updated_at INTEGER NOT NULL
                );
                CREATE TABLE data_protection_keys (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    friendly_name TEXT NOT NULL,
                    xml TEXT NOT NULL
                );
                """,
            PostgreSql: """
                CREATE TABLE accounts (
                    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    name TEXT NOT NULL,
                    name_key TEXT NOT NULL UNIQUE,
                    password_hash TEXT NOT NULL,
                    created_at BIGINT NOT NULL
                );
                CREATE TABLE avatars (
                    account_id BIGINT PRIMARY KEY REFERENCES accounts (id),
                    version TEXT NOT NULL,
                    content_type TEXT NOT NULL,
                    width INTEGER NOT NULL,
                    height INTEGER NOT NULL,
                    image BYTEA NOT NULL,
                    updated_at BIGINT NOT NULL
                );
                CREATE TABLE data_protection_keys (
                    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    friendly_name TEXT NOT NULL,
                    xml TEXT NOT NULL
                );
                """),
    ];
}
