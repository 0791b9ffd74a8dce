namespace OpenChat.SocketIO.EngineIO;

/// <summary>Reasons an Engine.IO session closes; the strings are the reference server's.</summary>
public static class EngineCloseReasons
{
    /// <summary>The client closed the connection or sent a close packet.</summary>
    public const string TransportClose = "transport close";

    /// <summary>The transport failed or the client broke a transport rule (overlapping polls, oversize body, full queue).</summary>
    public const string TransportError = "transport error";

    /// <summary>No pong within the ping timeout.</summary>
    public const string PingTimeout = "ping timeout";

    /// <summary>The client sent a packet that could not be decoded.</summary>
    public const string ParseError = "parse error";

    /// <summary>The server closed the session.</summary>
    public const string ForcedClose = "forced close";

    /// <summary>The server is stopping.</summary>
    public const string ServerShuttingDown = "server shutting down";
}
