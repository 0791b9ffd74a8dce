using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;

namespace OpenChat.SocketIO.EngineIO;

/// <summary>
/// What the handshake request looked like, kept for the life of the session: what the handshake API shows
/// (headers, query, address, URL) and nothing else, within <see cref="EngineIOOptions.MaxHandshakeBytes"/>.
/// The headers that only served the transport (WebSocket keys, <c>Connection</c>, <c>Upgrade</c>, body
/// framing) are not kept.
/// </summary>
public sealed class HandshakeRequest
{
    private static readonly HashSet<string> TransportHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Upgrade", "Keep-Alive", "Transfer-Encoding", "Content-Length", "Content-Type", "TE",
        "Sec-WebSocket-Key", "Sec-WebSocket-Version", "Sec-WebSocket-Extensions", "Sec-WebSocket-Protocol",
    };

    private HandshakeRequest(Dictionary<string, string> headers, Dictionary<string, string> query, HttpContext context, string url, DateTimeOffset issued)
    {
        Headers = headers;
        Query = query;
        RemoteAddress = context.Connection.RemoteIpAddress;
        Url = url;
        Secure = context.Request.IsHttps;
        Issued = issued;
        User = context.User;
        IdentityKey = SessionIdentity.Of(context.User);
    }

    /// <summary>Request headers (names case-insensitive), less those that only served the transport.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>Query string parameters.</summary>
    public IReadOnlyDictionary<string, string> Query { get; }

    /// <summary>The client's IP address, as Kestrel (or forwarded headers middleware) sees it.</summary>
    public IPAddress? RemoteAddress { get; }

    /// <summary>Path and query of the handshake request.</summary>
    public string Url { get; }

    /// <summary>Whether the handshake came over HTTPS.</summary>
    public bool Secure { get; }

    /// <summary>When the handshake happened.</summary>
    public DateTimeOffset Issued { get; }

    /// <summary>
    /// The user the handshake request was authenticated as (ASP.NET Core's <c>HttpContext.User</c>, set by
    /// the authentication middleware), kept for the life of the session. Every later request of the session
    /// must be authenticated as the same user (or, for an anonymous handshake, be anonymous too); others
    /// are refused as if the session did not exist.
    /// </summary>
    public ClaimsPrincipal User { get; }

    /// <summary>What later requests must match; see <see cref="SessionIdentity"/>.</summary>
    internal string? IdentityKey { get; }

    /// <summary>Characters kept: every header and query name and value, and the URL.</summary>
    internal int Size { get; private init; }

    /// <summary>
    /// Captures what a session keeps of its handshake request; null when that is more than
    /// <paramref name="maxBytes"/> characters (the handshake is then refused: truncating could silently drop
    /// the cookie or token the application needs).
    /// </summary>
    internal static HandshakeRequest? TryCapture(HttpContext context, DateTimeOffset issued, int maxBytes)
    {
        var request = context.Request;
        var url = request.Path + request.QueryString;
        var size = url.Length;
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in request.Headers)
        {
            if (TransportHeaders.Contains(name))
            {
                continue;
            }

            var value = values.ToString();
            size += name.Length + value.Length;
            if (size > maxBytes)
            {
                return null;
            }

            headers[name] = value;
        }

        var query = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, values) in request.Query)
        {
            var value = values.ToString();
            size += name.Length + value.Length;
            if (size > maxBytes)
            {
                return null;
            }

            query[name] = value;
        }

        headers.TrimExcess();
        query.TrimExcess();
        return new HandshakeRequest(headers, query, context, url, issued) { Size = size };
    }

    /// <summary>A handshake with nothing in it (for sessions made outside an HTTP request, such as in tests).</summary>
    internal static HandshakeRequest Empty(DateTimeOffset issued) => TryCapture(new DefaultHttpContext(), issued, int.MaxValue)!;
}
