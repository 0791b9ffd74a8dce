namespace OpenChat.SocketIO.EngineIO;

/// <summary>Engine.IO packet types; the numeric values are the characters on the wire.</summary>
public enum EnginePacketType : byte
{
    /// <summary>Handshake, sent by the server.</summary>
    Open = 0,
    /// <summary>Closes the session.</summary>
    Close = 1,
    /// <summary>Heartbeat request (server to client in v4; "probe" during an upgrade).</summary>
    Ping = 2,
    /// <summary>Heartbeat answer.</summary>
    Pong = 3,
    /// <summary>Application data.</summary>
    Message = 4,
    /// <summary>Completes the switch to WebSocket.</summary>
    Upgrade = 5,
    /// <summary>Nothing; releases a pending poll.</summary>
    Noop = 6,
}
