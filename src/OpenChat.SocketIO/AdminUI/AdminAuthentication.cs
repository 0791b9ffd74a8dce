using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace OpenChat.SocketIO.AdminUI;

/// <summary>
/// The admin namespace's login, as Node's basic authentication: the UI sends <c>{username, password}</c>
/// (checked against the bcrypt hash) or, on reconnection, <c>{sessionId}</c> from an earlier login; a good
/// login gets a new session id in a <c>session</c> event. A bad one is refused with "invalid credentials".
/// </summary>
internal sealed partial class AdminAuthentication(AdminUIOptions options)
{
    /// <summary>The refusal message the UI looks for to show its login form again.</summary>
    public const string InvalidCredentials = "invalid credentials";

    // Sessions live as long as the server, as Node's in-memory store; one per successful login, bounded.
    private const int MaxSessions = 10_000;

    private readonly ConcurrentDictionary<string, byte> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _issued = new(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="hash"/> is a bcrypt hash BCrypt.Net can check.</summary>
    public static bool IsBcryptHash(string? hash) => hash is not null && BcryptHash().IsMatch(hash);

    /// <summary>The namespace middleware: admits a known session or good credentials, refuses the rest.</summary>
    public ValueTask AuthenticateAsync(SocketIOSocket socket)
    {
        if (options.Auth != true)
        {
            return ValueTask.CompletedTask;
        }

        var handshake = socket.Handshake;
        if (handshake.GetAuthString("sessionId") is { } sessionId && _sessions.ContainsKey(sessionId))
        {
            return ValueTask.CompletedTask;
        }

        var username = handshake.GetAuthString("username");
        var password = handshake.GetAuthString("password");
        if (username is not null && password is not null && FixedTimeEquals(username, options.Username!) && Verify(password))
        {
            var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
            if (_sessions.Count < MaxSessions)
            {
                _sessions.TryAdd(id, 0);
            }

            _issued[socket.Id] = id;
            return ValueTask.CompletedTask;
        }

        throw new ConnectionRefusedException(InvalidCredentials);
    }

    /// <summary>The session id issued to this admin socket at login, to send once it is connected; null when it came with one.</summary>
    public string? TakeIssuedSession(SocketIOSocket socket) => _issued.TryRemove(socket.Id, out var id) ? id : null;

    private bool Verify(string password)
    {
        try
        {
            return BCrypt.Net.BCrypt.Verify(password, options.PasswordHash);
        }
        catch (BCrypt.Net.SaltParseException)
        {
            return false;
        }
    }

    private static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(a), System.Text.Encoding.UTF8.GetBytes(b));

    [GeneratedRegex(@"^\$2[abxy]?\$\d{2}\$[./A-Za-z0-9]{53}$")]
    private static partial Regex BcryptHash();
}
