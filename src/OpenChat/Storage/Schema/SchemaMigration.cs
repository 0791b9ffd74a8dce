namespace OpenChat.Storage.Schema;

/// <summary>
/// One step of a <see cref="ISchemaModule"/>: the statements that take the module from
/// <see cref="Version"/> − 1 to <see cref="Version"/>, in each dialect. They run in one transaction with the
/// version update, so a step is applied whole or not at all.
/// </summary>
public sealed record SchemaMigration(int Version, string Description, string Sqlite, string PostgreSql)
{
    public string For(SqlDialect dialect) => dialect == SqlDialect.Sqlite ? Sqlite : PostgreSql;
}
