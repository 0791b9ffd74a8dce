using OpenChat.SocketIO.EngineIO;

namespace OpenChat.SocketIO.Protocol;

/// <summary>
/// How Socket.IO packets travel inside Engine.IO messages, chosen per server with
/// <see cref="SocketIOOptions.Parser"/>: the default is Socket.IO's own JSON text format with binary
/// attachments as extra messages (socket.io-parser); OpenChat.SocketIO.MessagePack ships one compatible with
/// socket.io-msgpack-parser. Clients must use the same parser as the server. A parser is stateless and
/// shared by every connection; per-connection state lives in the decoder it creates.
/// </summary>
public abstract class SocketIOParser
{
    /// <summary>Socket.IO's JSON format, what the official clients use unless told otherwise.</summary>
    public static SocketIOParser Default => JsonParser.Instance;

    /// <summary>A short name for logs and messages, e.g. <c>json</c> or <c>msgpack</c>.</summary>
    public abstract string Name { get; }

    /// <summary>
    /// Encodes one packet as the Engine.IO messages that carry it, in order (text messages as UTF-8, without
    /// Engine.IO's own type character). Called once per packet, however many clients receive it.
    /// </summary>
    public abstract void Encode(SocketIOPacket packet, ICollection<EngineMessage> messages);

    /// <summary>Creates the decoder of one connection's incoming messages.</summary>
    public abstract SocketIOPacketDecoder CreateDecoder(SocketIODecoderLimits limits);
}
