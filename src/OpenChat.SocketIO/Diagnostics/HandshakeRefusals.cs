namespace OpenChat.SocketIO;

/// <summary>The values of <see cref="SocketIOMetrics.RefusalReasonTag"/>: why a handshake was refused.</summary>
public static class HandshakeRefusals
{
    /// <summary>The origin is not allowed (403).</summary>
    public const string Origin = "origin";

    /// <summary>The transport is unknown or not enabled (400, code 0).</summary>
    public const string UnknownTransport = "unknown_transport";

    /// <summary>The client speaks an Engine.IO revision the server does not (400, code 5).</summary>
    public const string UnsupportedProtocolVersion = "unsupported_protocol_version";

    /// <summary>The request is malformed (400, code 3), such as a WebSocket transport without an upgrade.</summary>
    public const string BadRequest = "bad_request";

    /// <summary>The handshake used another method than GET (400, code 2).</summary>
    public const string BadMethod = "bad_method";

    /// <summary>The server is stopping or the application's AllowRequest said no (403).</summary>
    public const string Forbidden = "forbidden";

    /// <summary>The address made too many handshakes this minute (429).</summary>
    public const string RateLimited = "rate_limited";

    /// <summary>The handshake's headers and query are over the limit (431).</summary>
    public const string TooLarge = "too_large";

    /// <summary>Too many connections are waiting to join a namespace, overall or from the address (503 / 429).</summary>
    public const string TooManyPending = "too_many_pending";
}
