namespace OpenChat.SocketIO.Protocol;

/// <summary>Socket.IO v5 packet types; the numeric values are the characters on the wire.</summary>
public enum SocketPacketType : byte
{
    /// <summary>Joins a namespace (client) or confirms it (server).</summary>
    Connect = 0,

    /// <summary>Leaves a namespace.</summary>
    Disconnect = 1,

    /// <summary>An event: <c>[name, ...args]</c>.</summary>
    Event = 2,

    /// <summary>An acknowledgement: <c>[...args]</c>.</summary>
    Ack = 3,

    /// <summary>A refused namespace connection.</summary>
    ConnectError = 4,

    /// <summary>An event with binary attachments.</summary>
    BinaryEvent = 5,

    /// <summary>An acknowledgement with binary attachments.</summary>
    BinaryAck = 6,
}
