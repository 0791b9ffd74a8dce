using System.Security.Claims;

namespace OpenChat.SocketIO.EngineIO;

/// <summary>
/// Who opened a session, as a key that later requests of the session must match. An Engine.IO session id
/// travels in URLs (and so in logs, proxies and browser history); binding the session to the identity that
/// opened it means a leaked id is worth nothing to anyone signed in as someone else, or not signed in at
/// all. Anonymous requests all share the null key, as nothing tells them apart.
/// </summary>
internal static class SessionIdentity
{
    /// <summary>The key of <paramref name="user"/>: null when no identity of it is authenticated.</summary>
    public static string? Of(ClaimsPrincipal? user)
    {
        if (user is null)
        {
            return null;
        }

        string? key = null;
        foreach (var identity in user.Identities)
        {
            if (!identity.IsAuthenticated)
            {
                continue;
            }

            // The stable id of the user in that scheme; the display name only when there is none, and every
            // claim when there is not even a name, so two different principals never share a key.
            var id = identity.FindFirst(ClaimTypes.NameIdentifier)?.Value
                ?? identity.FindFirst("sub")?.Value
                ?? identity.Name
                ?? string.Join('\n', identity.Claims.Select(c => c.Type + "=" + c.Value).Order(StringComparer.Ordinal));
            var part = identity.AuthenticationType + "\n" + id.Length + ":" + id;
            key = key is null ? part : key + "\n" + part;
        }

        return key;
    }

    /// <summary>Whether a request made as <paramref name="user"/> may use a session opened by <paramref name="handshake"/>.</summary>
    public static bool Matches(HandshakeRequest handshake, ClaimsPrincipal? user) =>
        string.Equals(handshake.IdentityKey, Of(user), StringComparison.Ordinal);
}
