using System.Security.Claims;
using System.Text.Json;
using Microsoft.Net.Http.Headers;
using OpenChat.SocketIO.EngineIO;
using OpenChat.SocketIO.Protocol;

namespace OpenChat.SocketIO;

/// <summary>
/// How a socket connected: the CONNECT auth payload and the Engine.IO handshake request, with the user
/// the request was authenticated as (as SignalR's <c>Context.User</c>).
/// </summary>
public sealed class Handshake
{
    private static readonly JsonElement EmptyObject = JsonSerializer.Deserialize<JsonElement>("{}"u8);
    private IReadOnlyDictionary<string, string>? _cookies;

    internal Handshake(HandshakeRequest request, JsonElement? auth)
    {
        Request = request;
        Auth = auth ?? EmptyObject;
    }

    /// <summary>The <c>auth</c> object the client sent with CONNECT (an empty object if none).</summary>
    public JsonElement Auth { get; }

    /// <summary>The HTTP request that opened the connection.</summary>
    public HandshakeRequest Request { get; }

    /// <summary>
    /// The user the handshake request was authenticated as by the app's authentication middleware (cookie,
    /// bearer token, ...); an unauthenticated principal when nobody was signed in. The connection is bound
    /// to this user: its later requests as anyone else are refused.
    /// </summary>
    public ClaimsPrincipal User => Request.User;

    /// <summary>Request headers.</summary>
    public IReadOnlyDictionary<string, string> Headers => Request.Headers;

    /// <summary>The cookies the handshake request carried, by name (the first of each name).</summary>
    public IReadOnlyDictionary<string, string> Cookies => _cookies ??= ParseCookies(Request.Headers);

    /// <summary>Query string parameters.</summary>
    public IReadOnlyDictionary<string, string> Query => Request.Query;

    /// <summary>The client's IP address.</summary>
    public string? Address => Request.RemoteAddress?.ToString();

    /// <summary>When the connection was opened.</summary>
    public DateTimeOffset Issued => Request.Issued;

    /// <summary>Reads a string property of <see cref="Auth"/>, or null.</summary>
    public string? GetAuthString(string name) =>
        Auth.ValueKind == JsonValueKind.Object && Auth.TryGetProperty(name, out var value) && JsonStrings.TryGet(value, out var text)
            ? text
            : null;

    // As ASP.NET Core reads them: "a=1; b=2", values unquoted and URL-unescaped; a malformed pair is skipped,
    // not a reason to lose the others.
    private static Dictionary<string, string> ParseCookies(IReadOnlyDictionary<string, string> headers)
    {
        var cookies = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!headers.TryGetValue(HeaderNames.Cookie, out var header))
        {
            return cookies;
        }

        foreach (var pair in header.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = pair.IndexOf('=');
            if (equals <= 0)
            {
                continue;
            }

            var value = pair[(equals + 1)..].Trim();
            if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
            {
                value = value[1..^1];
            }

            cookies.TryAdd(pair[..equals].Trim(), Uri.UnescapeDataString(value));
        }

        return cookies;
    }
}
