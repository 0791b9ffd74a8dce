using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;

namespace OpenChat.SocketIO.EngineIO;

/// <summary>What the handshake request looked like, kept for the life of the session.</summary>
public sealed class HandshakeRequest
{
    internal HandshakeRequest(HttpContext context, DateTimeOffset issued)
    {
        var request = context.Request;
        Headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        Query = request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        RemoteAddress = context.Connection.RemoteIpAddress;
        Url = request.Path + request.QueryString;
        Secure = request.IsHttps;
        Issued = issued;
        User = context.User;
        IdentityKey = SessionIdentity.Of(context.User);
    }

    /// <summary>Request headers (names case-insensitive).</summary>
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
}
