using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace OpenChat.SocketIO.Protocol;

/// <summary>
/// What differs in the CONNECT handshake of Socket.IO protocol 4, spoken by socket.io-client 2.x over
/// Engine.IO 3: the main namespace is joined without asking when the session opens; a client names another
/// namespace with its query string (<c>0/admin?token=abc,</c>), which is that socket's auth; the CONNECT
/// reply carries no data; a refusal carries the error's data, or else its message, as a JSON value.
/// </summary>
internal static class LegacyConnect
{
    /// <summary>Splits <c>/admin?token=abc</c> into the namespace and an auth object of its query parameters (repeated keys as arrays).</summary>
    public static (string Namespace, JsonElement? Auth) Read(string namespaceAndQuery)
    {
        var question = namespaceAndQuery.IndexOf('?');
        if (question < 0)
        {
            return (namespaceAndQuery, null);
        }

        var query = QueryHelpers.ParseQuery(namespaceAndQuery[question..]);
        var auth = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var (key, values) in query)
        {
            auth[key] = values.Count == 1 ? values[0] ?? string.Empty : values.ToArray();
        }

        return (namespaceAndQuery[..question], JsonSerializer.SerializeToElement(auth));
    }
}
