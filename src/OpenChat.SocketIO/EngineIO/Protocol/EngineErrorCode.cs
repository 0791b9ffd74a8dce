namespace OpenChat.SocketIO.EngineIO;

/// <summary>The reference server's request error table; codes and messages are part of the wire contract.</summary>
public enum EngineErrorCode
{
    /// <summary>0: missing or unsupported transport.</summary>
    TransportUnknown = 0,
    /// <summary>1: no session has this id.</summary>
    UnknownSid = 1,
    /// <summary>2: a handshake must be a GET.</summary>
    BadHandshakeMethod = 2,
    /// <summary>3: the request does not fit the session or the protocol.</summary>
    BadRequest = 3,
    /// <summary>4: the handshake was rejected (403).</summary>
    Forbidden = 4,
    /// <summary>5: EIO is not 4.</summary>
    UnsupportedProtocolVersion = 5,
}

internal static class EngineErrorMessages
{
    public static string For(EngineErrorCode code) => code switch
    {
        EngineErrorCode.TransportUnknown => "Transport unknown",
        EngineErrorCode.UnknownSid => "Session ID unknown",
        EngineErrorCode.BadHandshakeMethod => "Bad handshake method",
        EngineErrorCode.BadRequest => "Bad request",
        EngineErrorCode.Forbidden => "Forbidden",
        EngineErrorCode.UnsupportedProtocolVersion => "Unsupported protocol version",
        _ => "Unknown error",
    };

    public static int StatusCode(EngineErrorCode code) => code == EngineErrorCode.Forbidden ? 403 : 400;
}
