using OpenChat.SocketIO.EngineIO;

namespace OpenChat.SocketIO.SocketIO;

/// <summary>Why a socket disconnected; the strings are the reference server's.</summary>
public static class DisconnectReasons
{
    /// <summary>The client closed the connection.</summary>
    public const string TransportClose = EngineCloseReasons.TransportClose;

    /// <summary>The connection failed or the client broke a transport rule.</summary>
    public const string TransportError = EngineCloseReasons.TransportError;

    /// <summary>The client stopped answering pings.</summary>
    public const string PingTimeout = EngineCloseReasons.PingTimeout;

    /// <summary>The client sent a packet that could not be decoded.</summary>
    public const string ParseError = EngineCloseReasons.ParseError;

    /// <summary>The server closed the underlying connection.</summary>
    public const string ForcedClose = EngineCloseReasons.ForcedClose;

    /// <summary>The server is stopping.</summary>
    public const string ServerShuttingDown = EngineCloseReasons.ServerShuttingDown;

    /// <summary>The client disconnected this namespace (<c>socket.disconnect()</c> on the client).</summary>
    public const string ClientNamespaceDisconnect = "client namespace disconnect";

    /// <summary>The server disconnected this socket (<see cref="SocketIOSocket.Disconnect"/>).</summary>
    public const string ServerNamespaceDisconnect = "server namespace disconnect";
}
