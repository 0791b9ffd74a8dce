namespace OpenChat.SocketIO;

/// <summary>
/// Why a session or a socket ended: one vocabulary for both layers, with the reference server's strings
/// (clients and their users rely on them).
/// </summary>
public static class DisconnectReasons
{
    /// <summary>The client closed the connection or sent a close packet.</summary>
    public const string TransportClose = "transport close";

    /// <summary>The transport failed or the client broke a transport rule (overlapping polls, oversize body, full queue).</summary>
    public const string TransportError = "transport error";

    /// <summary>The client stopped answering pings.</summary>
    public const string PingTimeout = "ping timeout";

    /// <summary>The client sent a packet that could not be decoded.</summary>
    public const string ParseError = "parse error";

    /// <summary>The server closed the underlying connection.</summary>
    public const string ForcedClose = "forced close";

    /// <summary>The server is stopping.</summary>
    public const string ServerShuttingDown = "server shutting down";

    /// <summary>The client disconnected this namespace (<c>socket.disconnect()</c> on the client).</summary>
    public const string ClientNamespaceDisconnect = "client namespace disconnect";

    /// <summary>The server disconnected this socket (<see cref="SocketIOSocket.Disconnect"/>).</summary>
    public const string ServerNamespaceDisconnect = "server namespace disconnect";
}
