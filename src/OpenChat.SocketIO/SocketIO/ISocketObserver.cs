namespace OpenChat.SocketIO;

/// <summary>
/// Sees what happens to sockets, for tooling that reports on a live server (the admin UI). The server has at
/// most one; with none, every hook is a single null check.
/// </summary>
internal interface ISocketObserver
{
    /// <summary>Whether events sent to sockets are wanted now (decoding them for nobody would cost every broadcast).</summary>
    bool WatchesEvents { get; }

    /// <summary>A socket was admitted; its connection handlers run next.</summary>
    void OnConnected(SocketIOSocket socket);

    /// <summary>A socket's connection moved to WebSocket.</summary>
    void OnUpgraded(SocketIOSocket socket);

    /// <summary>A socket left its namespace (it has left its rooms).</summary>
    void OnDisconnected(SocketIOSocket socket, string reason);

    /// <summary>A socket received an event.</summary>
    void OnEventReceived(SocketIOSocket socket, string eventName, EventArguments args);

    /// <summary>An event was queued for a socket (an emit or a broadcast), as Node's <c>onAnyOutgoing</c> sees it.</summary>
    void OnEventSent(SocketIOSocket socket, string eventName, EventArguments args);
}
