using System.Net;
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
}
