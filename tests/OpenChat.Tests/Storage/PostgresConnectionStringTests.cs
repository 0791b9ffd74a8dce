using Npgsql;
using OpenChat.Storage;

namespace OpenChat.Tests.Storage;

public sealed class PostgresConnectionStringTests
{
    [Theory]
    [InlineData("Host=db;Username=chat;Database=chat", true)]
    [InlineData("server=db; user id=chat", true)]
    [InlineData("postgres://chat@db/chat", true)]
    [InlineData("postgresql://db", true)]
    [InlineData("Data Source=/var/lib/openchat/chat.db", false)]
    [InlineData("Data Source=hostname.db", false)]
    public void A_connection_string_names_postgresql_by_a_host_keyword_or_a_postgres_url(string value, bool postgres) =>
        Assert.Equal(postgres, PostgresConnectionString.Names(value));

    [Fact]
    public void A_hosting_platform_url_becomes_npgsql_keywords_with_escapes_undone()
    {
        var builder = new NpgsqlConnectionStringBuilder(PostgresConnectionString.FromUri("postgres://chat:p%40ss%3Bword@db.example:5433/open%20chat?sslmode=require"));

        Assert.Equal(("db.example", 5433, "chat", "p@ss;word", "open chat", SslMode.Require), (builder.Host, builder.Port, builder.Username, builder.Password, builder.Database, builder.SslMode));
    }

    [Fact]
    public void An_unknown_url_setting_is_refused_with_its_name()
    {
        var refused = Assert.Throws<ChatStoreException>(() => PostgresConnectionString.FromUri("postgres://db/chat?flavour=strawberry"));

        Assert.Contains("'flavour'", refused.Message);
    }
}
