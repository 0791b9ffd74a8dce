namespace OpenChat.Tests.Storage;

/// <summary>The tests that need PostgreSQL share one server; each takes a database of its own.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL";
}
