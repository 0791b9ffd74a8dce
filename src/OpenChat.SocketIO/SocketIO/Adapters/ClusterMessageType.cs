namespace OpenChat.SocketIO.Adapters;

/// <summary>The messages cluster adapters exchange; the numbers are socket.io-adapter's <c>MessageType</c>.</summary>
public enum ClusterMessageType
{
    /// <summary>A server starts (or is back): the others answer with <see cref="Heartbeat"/>.</summary>
    InitialHeartbeat = 1,

    /// <summary>A server is alive.</summary>
    Heartbeat = 2,

    /// <summary>A broadcast, with a request id when acknowledgements are expected.</summary>
    Broadcast = 3,

    /// <summary>Selected sockets join rooms.</summary>
    SocketsJoin = 4,

    /// <summary>Selected sockets leave rooms.</summary>
    SocketsLeave = 5,

    /// <summary>Selected sockets are disconnected.</summary>
    DisconnectSockets = 6,

    /// <summary>A request for the selected sockets' descriptions.</summary>
    FetchSockets = 7,

    /// <summary>One server's answer to <see cref="FetchSockets"/>.</summary>
    FetchSocketsResponse = 8,

    /// <summary>An event for the other servers, with a request id when answers are expected.</summary>
    ServerSideEmit = 9,

    /// <summary>One server's answer to a <see cref="ServerSideEmit"/> with acknowledgement.</summary>
    ServerSideEmitResponse = 10,

    /// <summary>How many clients one server sent a broadcast with acknowledgements to.</summary>
    BroadcastClientCount = 11,

    /// <summary>One client's acknowledgement of a broadcast.</summary>
    BroadcastAck = 12,

    /// <summary>A server's adapter closes.</summary>
    AdapterClose = 13,
}
