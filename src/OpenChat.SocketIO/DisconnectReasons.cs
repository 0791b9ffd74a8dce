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

    /// <summary>The server closed a connection whose sockets had not been disconnected one by one (Node's Socket.IO-level close).</summary>
    public const string ForcedServerClose = "forced server close";

    /// <summary>
    /// Whether a socket that disconnected for this reason keeps a session it can recover (with
    /// <see cref="SocketIOOptions.ConnectionStateRecovery"/> on): the connection was lost or cut
    /// (<see cref="TransportClose"/>, <see cref="TransportError"/>, <see cref="PingTimeout"/>,
    /// <see cref="ForcedClose"/>, <see cref="ForcedServerClose"/>) or the server is stopping
    /// (<see cref="ServerShuttingDown"/>), Node's list. A client or server that disconnected on purpose, or a
    /// client that sent garbage, does not come back.
    /// </summary>
    public static bool IsRecoverable(string reason) => reason is TransportClose or TransportError or PingTimeout or ForcedClose or ForcedServerClose or ServerShuttingDown;
}
