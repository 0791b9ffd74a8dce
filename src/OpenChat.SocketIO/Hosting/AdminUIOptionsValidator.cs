using OpenChat.SocketIO.AdminUI;

namespace OpenChat.SocketIO.Hosting;

/// <summary>Checks the admin UI options: an enabled admin namespace says whether it needs a login, and a login has a real bcrypt hash.</summary>
internal static class AdminUIOptionsValidator
{
    public static IEnumerable<string> Check(AdminUIOptions options, string section)
    {
        if (!options.Enabled)
        {
            yield break;
        }

        if (string.IsNullOrWhiteSpace(options.Namespace) || !options.Namespace.StartsWith('/'))
        {
            yield return $"{section}:Namespace must start with '/'.";
        }

        if (options.StatsInterval <= TimeSpan.Zero)
        {
            yield return $"{section}:StatsInterval must be positive.";
        }

        switch (options.Auth)
        {
            case null:
                yield return $"{section}:Auth must be set when the admin UI is enabled: true (with {section}:Username and {section}:PasswordHash) or false to leave it open.";
                break;
            case true:
                if (string.IsNullOrEmpty(options.Username))
                {
                    yield return $"{section}:Username is required when {section}:Auth is true.";
                }

                if (!AdminAuthentication.IsBcryptHash(options.PasswordHash))
                {
                    yield return $"{section}:PasswordHash must be a bcrypt hash (such as $2b$10$...) when {section}:Auth is true.";
                }

                break;
        }
    }
}
