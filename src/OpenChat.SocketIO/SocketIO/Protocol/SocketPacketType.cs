namespace OpenChat.SocketIO.Protocol;

/// <summary>Socket.IO v5 packet types; the numeric values are the characters on the wire.</summary>
internal enum SocketPacketType : byte
{
    Connect = 0,
    Disconnect = 1,
    Event = 2,
    Ack = 3,
    ConnectError = 4,
    BinaryEvent = 5,
    BinaryAck = 6,
}
