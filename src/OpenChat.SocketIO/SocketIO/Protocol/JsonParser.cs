using System.Globalization;
using System.Text;
using OpenChat.SocketIO.EngineIO;

namespace OpenChat.SocketIO.Protocol;

/// <summary>
/// Socket.IO's own format (socket.io-parser): one text message <c>type[attachments-][/namespace,][ackId][json]</c>,
/// then each binary attachment as a message of its own. <see cref="EncodedPacket"/> builds these frames when
/// a packet is made, so for this parser sending encodes nothing more.
/// </summary>
internal sealed class JsonParser : SocketIOParser
{
    public static readonly JsonParser Instance = new();

    private JsonParser()
    {
    }

    public override string Name => "json";

    public override void Encode(SocketIOPacket packet, ICollection<EngineMessage> messages)
    {
        var header = Header(packet.Type, packet.Namespace, packet.Id, packet.Attachments.Count);
        var text = new byte[Encoding.UTF8.GetByteCount(header) + packet.Data.Length];
        var written = Encoding.UTF8.GetBytes(header, text);
        packet.Data.Span.CopyTo(text.AsSpan(written));
        messages.Add(EngineMessage.Text(text));
        foreach (var attachment in packet.Attachments)
        {
            messages.Add(EngineMessage.Binary(attachment));
        }
    }

    public override SocketIOPacketDecoder CreateDecoder(SocketIODecoderLimits limits) => new JsonPacketDecoder(limits);

    /// <summary>
    /// <c>type[attachments-][/namespace,][ackId]</c>: an event or ack with attachments takes its binary type
    /// and their count.
    /// </summary>
    public static string Header(SocketPacketType type, string nsp, long? id, int attachments)
    {
        var wireType = attachments == 0 ? type : type switch
        {
            SocketPacketType.Event => SocketPacketType.BinaryEvent,
            SocketPacketType.Ack => SocketPacketType.BinaryAck,
            _ => type,
        };

        var header = new StringBuilder(16);
        header.Append((char)('0' + (int)wireType));
        if (wireType is SocketPacketType.BinaryEvent or SocketPacketType.BinaryAck)
        {
            header.Append(attachments.ToString(CultureInfo.InvariantCulture)).Append('-');
        }

        if (nsp != "/")
        {
            header.Append(nsp).Append(',');
        }

        if (id is { } ackId)
        {
            header.Append(ackId.ToString(CultureInfo.InvariantCulture));
        }

        return header.ToString();
    }
}
