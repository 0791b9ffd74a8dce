using System.Buffers;
using System.Text.Json;

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

        return EncodedPacket.Build(type, nsp, id, packet.Buffer.WrittenSpan, packet.Attachments);
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
