using OpenChat.SocketIO.EngineIO;

namespace OpenChat.SocketIO.Protocol;

/// <summary>
/// Turns one connection's incoming Engine.IO messages into packets, in order. A packet may take several
/// messages (JSON packets with binary attachments do). It must not throw on bad input: it says
/// <see cref="SocketIODecodeResult.Invalid"/> with a reason, and the connection is closed as a parse error.
/// The packet's data is checked after it (JSON, shape for its type, placeholders), the same for every parser.
/// </summary>
public abstract class SocketIOPacketDecoder
{
    /// <summary>Adds the next message of the connection.</summary>
    /// <param name="message">A message, text (UTF-8) or binary.</param>
    /// <param name="packet">The packet it completes, when the result is <see cref="SocketIODecodeResult.Complete"/>.</param>
    /// <param name="error">Why the message was refused, when the result is <see cref="SocketIODecodeResult.Invalid"/>.</param>
    public abstract SocketIODecodeResult Add(EngineMessage message, out SocketIOPacket? packet, out string? error);
}
