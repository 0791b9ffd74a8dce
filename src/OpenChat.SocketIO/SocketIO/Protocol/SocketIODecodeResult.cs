namespace OpenChat.SocketIO.Protocol;

/// <summary>What one message did to a <see cref="SocketIOPacketDecoder"/>.</summary>
public enum SocketIODecodeResult
{
    /// <summary>It completed a packet.</summary>
    Complete,

    /// <summary>It belongs to a packet that needs more messages.</summary>
    Incomplete,

    /// <summary>It breaks the format; the connection is closed.</summary>
    Invalid,
}
