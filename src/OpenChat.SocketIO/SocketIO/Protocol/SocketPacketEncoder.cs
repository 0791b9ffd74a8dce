using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using OpenChat.SocketIO.EngineIO;

namespace OpenChat.SocketIO.Protocol;

/// <summary>
/// Encodes Socket.IO v5 packets straight into Engine.IO message frames (the <c>4</c> prefix included),
/// so a broadcast is encoded once and its bytes are shared by every recipient. JSON is compact and keeps
/// the key order and the number text it was given.
/// </summary>
internal static class SocketPacketEncoder
{
    /// <summary>Encodes a packet whose data is written by <paramref name="writeData"/> (null for no data).</summary>
    public static EncodedPacket Encode<TState>(
        SocketPacketType type, string nsp, long? id, TState state, Action<Utf8JsonWriter, TState>? writeData)
    {
        using var packet = PacketWriter.Rent();
        if (writeData is not null)
        {
            writeData(packet.Json, state);
            packet.Json.Flush();
        }

        var json = packet.Buffer;
        var attachments = packet.Attachments;
        if (attachments.Count > 0)
        {
            type = type switch
            {
                SocketPacketType.Event => SocketPacketType.BinaryEvent,
                SocketPacketType.Ack => SocketPacketType.BinaryAck,
                _ => type,
            };
        }

        var header = new StringBuilder(16);
        header.Append('4').Append((char)('0' + (int)type));
        if (type is SocketPacketType.BinaryEvent or SocketPacketType.BinaryAck)
        {
            header.Append(attachments.Count.ToString(CultureInfo.InvariantCulture)).Append('-');
        }

        if (nsp != "/")
        {
            header.Append(nsp).Append(',');
        }

        if (id is { } ackId)
        {
            header.Append(ackId.ToString(CultureInfo.InvariantCulture));
        }

        var headerBytes = Encoding.UTF8.GetByteCount(header.ToString());
        var text = new byte[headerBytes + json.WrittenCount];
        Encoding.UTF8.GetBytes(header.ToString(), text);
        json.WrittenSpan.CopyTo(text.AsSpan(headerBytes));

        var frames = new EngineFrame[1 + attachments.Count];
        frames[0] = new EngineFrame(text, isBinary: false);
        for (var i = 0; i < attachments.Count; i++)
        {
            frames[i + 1] = EngineFrame.Binary(attachments[i]);
        }

        return new EncodedPacket(frames);
    }

    public static EncodedPacket Encode(SocketPacketType type, string nsp, long? id = null) =>
        Encode<object?>(type, nsp, id, null, null);

    /// <summary>Writes one argument: JSON elements as they are, byte arrays as attachments, anything else serialized.</summary>
    public static void WriteValue(Utf8JsonWriter writer, object? value, JsonSerializerOptions options)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string s:
                writer.WriteStringValue(s);
                break;
            case JsonElement element:
                BinaryPlaceholder.WriteElement(writer, element, []);
                break;
            case byte[] bytes:
                BinaryPlaceholder.WriteBytes(writer, bytes);
                break;
            case ReadOnlyMemory<byte> memory:
                BinaryPlaceholder.WriteBytes(writer, memory);
                break;
            default:
                JsonSerializer.Serialize(writer, value, value.GetType(), options);
                break;
        }
    }
}
