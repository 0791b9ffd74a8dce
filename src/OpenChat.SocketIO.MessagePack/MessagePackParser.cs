using System.Buffers;
using System.Text.Json;
using MessagePack;
using OpenChat.SocketIO.EngineIO;
using OpenChat.SocketIO.Notepack;
using OpenChat.SocketIO.Protocol;

namespace OpenChat.SocketIO.MessagePack;

/// <summary>
/// Socket.IO packets as socket.io-msgpack-parser 3.x writes them: each packet is one binary Engine.IO
/// message holding the notepack.io encoding of <c>{type, data, id?, nsp}</c>, binary values inside the data
/// as MessagePack <c>bin</c> (no separate attachments). Maps keep the key order the Node server gives each
/// packet, so the bytes are the reference server's. Clients must use the same parser:
/// <c>io(url, { parser: require("socket.io-msgpack-parser") })</c>.
/// </summary>
public sealed class MessagePackParser : SocketIOParser
{
    /// <summary>The one instance; the parser keeps no state.</summary>
    public static MessagePackParser Instance { get; } = new();

    private MessagePackParser()
    {
    }

    /// <inheritdoc />
    public override string Name => "msgpack";

    /// <inheritdoc />
    public override void Encode(SocketIOPacket packet, ICollection<EngineMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(packet);
        ArgumentNullException.ThrowIfNull(messages);
        using var document = packet.Data.IsEmpty ? null : JsonDocument.Parse(packet.Data);
        var buffer = new ArrayBufferWriter<byte>(64 + packet.Data.Length + packet.Attachments.Sum(a => a.Length));
        var writer = new MessagePackWriter(buffer);

        // The Node server builds {type, data} and adds id, then nsp, except for acknowledgements it answers
        // ({id, type, data}) and for packets without data.
        var hasData = document is not null;
        var ackAnswer = packet.Type == SocketPacketType.Ack;
        writer.WriteMapHeader(2 + (hasData ? 1 : 0) + (packet.Id is null ? 0 : 1));
        if (ackAnswer && packet.Id is { } answered)
        {
            writer.Write("id");
            NotepackJson.WriteNumber(ref writer, answered);
        }

        writer.Write("type");
        writer.Write((int)packet.Type);
        if (document is not null)
        {
            writer.Write("data");
            NotepackJson.Write(ref writer, document.RootElement, packet.Attachments);
        }

        if (!ackAnswer && packet.Id is { } id)
        {
            writer.Write("id");
            NotepackJson.WriteNumber(ref writer, id);
        }

        writer.Write("nsp");
        writer.Write(packet.Namespace);
        writer.Flush();
        messages.Add(EngineMessage.Binary(buffer.WrittenMemory));
    }

    /// <inheritdoc />
    public override SocketIOPacketDecoder CreateDecoder(SocketIODecoderLimits limits) => new MessagePackPacketDecoder(limits);
}
