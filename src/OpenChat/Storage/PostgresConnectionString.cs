using Npgsql;

namespace OpenChat.Storage;

/// <summary>
/// PostgreSQL connection strings in either form: Npgsql's keywords (<c>Host=db;Username=chat;...</c>) or the
/// URL that hosting platforms hand out (<c>postgres://user:password@host:5432/database?sslmode=require</c>).
/// </summary>
internal static class PostgresConnectionString
{
    public static bool IsUri(string value) =>
        value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether the string names a PostgreSQL server: a URL as above, or a <c>Host</c> or <c>Server</c> keyword.</summary>
    public static bool Names(string value) =>
        IsUri(value) || value.Split(';').Select(p => p.Split('=', 2)[0].Trim()).Any(k => k.Equals("Host", StringComparison.OrdinalIgnoreCase) || k.Equals("Server", StringComparison.OrdinalIgnoreCase));

    /// <summary>The keyword form of <paramref name="value"/> (returned unchanged when it already is).</summary>
    public static string FromUri(string value)
    {
        if (!IsUri(value))
        {
            return value;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw new ChatStoreException(ChatStoreFailure.Unavailable, "ConnectionStrings:Chat is not a valid postgres:// URL.");
        }

        var builder = new NpgsqlConnectionStringBuilder { Host = uri.Host };
        if (uri.Port > 0)
        {
            builder.Port = uri.Port;
        }

        var user = uri.UserInfo.Split(':', 2);
        if (user[0].Length > 0)
        {
            builder.Username = Uri.UnescapeDataString(user[0]);
        }

        if (user.Length > 1)
        {
            builder.Password = Uri.UnescapeDataString(user[1]);
        }

        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0)
        {
            builder.Database = database;
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split('=', 2);
            var key = Uri.UnescapeDataString(parts[0]);
            var setting = parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : string.Empty;
            try
            {
                builder[key.Equals("sslmode", StringComparison.OrdinalIgnoreCase) ? "SSL Mode" : key] = setting;
            }
            catch (ArgumentException e)
            {
                throw new ChatStoreException(ChatStoreFailure.Unavailable, $"ConnectionStrings:Chat has an unknown setting '{key}': {e.Message}");
            }
        }

        return builder.ConnectionString;
    }
}
