namespace OpenChat.Storage;

/// <summary>The SQL a <see cref="ChatDatabase"/> speaks; schema migrations give their statements per dialect.</summary>
public enum SqlDialect
{
    Sqlite,
    PostgreSql,
}
