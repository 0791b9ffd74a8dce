using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using MessagePack;
using OpenChat.SocketIO.Adapters;
using OpenChat.SocketIO.Notepack;
using OpenChat.SocketIO.Protocol;

namespace OpenChat.SocketIO.Redis.Protocol;

/// <summary>
/// The payloads of @socket.io/redis-adapter 8.x, byte for byte: broadcasts as notepack
/// <c>[uid, packet, opts]</c>; requests and responses as <c>JSON.stringify</c> output, except the broadcast
/// with acknowledgements and its acks, which are notepack maps. Decoding accepts either form wherever Node
/// does (a payload starting with <c>{</c> is JSON). Pure: no I/O.
/// </summary>
internal static class ClassicCodec
{
    private const int EventPacketType = 2;

    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A decoded payload: JSON (from JSON or from notepack), with binaries as placeholders into <see cref="Attachments"/>.</summary>
    public readonly record struct Decoded(JsonElement Root, List<ReadOnlyMemory<byte>> Attachments);

    /// <summary>Decodes a payload of either form; false when it is neither.</summary>
    public static bool TryDecode(ReadOnlyMemory<byte> payload, out Decoded decoded)
    {
        decoded = default;
        var attachments = new List<ReadOnlyMemory<byte>>();
        try
        {
            if (!payload.IsEmpty && payload.Span[0] == (byte)'{')
            {
                using var document = JsonDocument.Parse(payload);
                decoded = new Decoded(document.RootElement.Clone(), attachments);
                return true;
            }

            var reader = new MessagePackReader(payload);
            var root = NotepackJson.ReadElement(ref reader, attachments);
            if (!reader.End)
            {
                return false;
            }

            decoded = new Decoded(root, attachments);
            return true;
        }
        catch (Exception ex) when (ex is JsonException or MessagePackSerializationException or EndOfStreamException or OverflowException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary><c>[uid, packet, opts]</c>, published on the broadcast channel.</summary>
    public static byte[] EncodeBroadcast(string uid, EncodedPacket packet, BroadcastOptions options)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + packet.Length);
        var writer = new MessagePackWriter(buffer);
        writer.WriteArrayHeader(3);
        writer.Write(uid);
        WritePacket(ref writer, packet);
        WriteOptions(ref writer, options, withFlags: true);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary><c>{uid, requestId, type: 7, packet, opts}</c>: a broadcast with acknowledgements, on the request channel.</summary>
    public static byte[] EncodeBroadcastRequest(string uid, string requestId, EncodedPacket packet, BroadcastOptions options)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + packet.Length);
        var writer = new MessagePackWriter(buffer);
        writer.WriteMapHeader(5);
        writer.Write("uid");
        writer.Write(uid);
        writer.Write("requestId");
        writer.Write(requestId);
        writer.Write("type");
        writer.Write((int)ClassicRequestType.Broadcast);
        writer.Write("packet");
        WritePacket(ref writer, packet);
        writer.Write("opts");
        WriteOptions(ref writer, options, withFlags: true);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary><c>{type: 9, requestId, packet: arg}</c>: one client's acknowledgement of a broadcast.</summary>
    public static byte[] EncodeBroadcastAck(string requestId, EventArguments ack)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        var writer = new MessagePackWriter(buffer);
        writer.WriteMapHeader(3);
        writer.Write("type");
        writer.Write((int)ClassicRequestType.BroadcastAck);
        writer.Write("requestId");
        writer.Write(requestId);
        writer.Write("packet");
        if (ack.Count == 0)
        {
            // The callback was called with no argument: undefined, which notepack writes as nil.
            writer.WriteNil();
        }
        else
        {
            NotepackJson.Write(ref writer, ack[0], ack.Attachments);
        }

        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes a JSON request or response with <c>JSON.stringify</c>'s layout, members in the order written.</summary>
    public static byte[] Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer, JsonOptions))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes <c>"opts": {rooms, except}</c> as the JSON requests carry it.</summary>
    public static void WriteJsonOptions(Utf8JsonWriter writer, BroadcastOptions options)
    {
        writer.WriteStartObject("opts");
        writer.WriteStartArray("rooms");
        foreach (var room in options.Rooms)
        {
            writer.WriteStringValue(room);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("except");
        foreach (var room in options.Except)
        {
            writer.WriteStringValue(room);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    /// <summary>Reads a packet object <c>{type, data, nsp}</c>; only events travel between servers.</summary>
    public static EncodedPacket? ReadPacket(JsonElement packet, IReadOnlyList<ReadOnlyMemory<byte>> attachments, string defaultNamespace)
    {
        if (packet.ValueKind != JsonValueKind.Object || !packet.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var type = packet.TryGetProperty("type", out var t) && t.TryGetInt32(out var value) ? value : EventPacketType;
        if (type is not (EventPacketType or (int)SocketPacketType.BinaryEvent))
        {
            return null;
        }

        var nsp = packet.TryGetProperty("nsp", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : defaultNamespace;
        try
        {
            return EncodedPacket.Create(SocketPacketType.Event, nsp, null, JsonMarshal.GetRawUtf8Value(data), attachments);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>Reads <c>{rooms, except, flags}</c>; rooms given as numbers are taken as their text.</summary>
    public static BroadcastOptions ReadOptions(JsonElement opts)
    {
        if (opts.ValueKind != JsonValueKind.Object)
        {
            return BroadcastOptions.Everyone;
        }

        var flags = BroadcastFlags.None;
        if (opts.TryGetProperty("flags", out var f) && f.ValueKind == JsonValueKind.Object)
        {
            flags = new BroadcastFlags
            {
                Volatile = f.TryGetProperty("volatile", out var v) && v.ValueKind == JsonValueKind.True,
                Timeout = f.TryGetProperty("timeout", out var timeout) && timeout.TryGetDouble(out var ms) && ms > 0 ? TimeSpan.FromMilliseconds(ms) : null,
            };
        }

        return new BroadcastOptions(ReadRooms(opts, "rooms"), ReadRooms(opts, "except"), flags);
    }

    /// <summary>Reads an array of room names (numbers as text); empty when missing.</summary>
    public static List<string> ReadRooms(JsonElement parent, string name)
    {
        var rooms = new List<string>();
        if (parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array)
        {
            foreach (var room in array.EnumerateArray())
            {
                switch (room.ValueKind)
                {
                    case JsonValueKind.String:
                        rooms.Add(NotepackJson.ReadString(room));
                        break;
                    case JsonValueKind.Number:
                        rooms.Add(room.GetRawText());
                        break;
                }
            }
        }

        return rooms;
    }

    private static void WritePacket(ref MessagePackWriter writer, EncodedPacket packet)
    {
        // Node publishes the packet object as socket.io's BroadcastOperator builds it, {type, data}, to which
        // the adapter adds nsp; the type stays EVENT whether or not there are attachments.
        writer.WriteMapHeader(3);
        writer.Write("type");
        writer.Write(EventPacketType);
        writer.Write("data");
        using (var document = JsonDocument.Parse(packet.Data))
        {
            NotepackJson.Write(ref writer, document.RootElement, packet.Attachments);
        }

        writer.Write("nsp");
        writer.Write(packet.Namespace);
    }

    private static void WriteOptions(ref MessagePackWriter writer, BroadcastOptions options, bool withFlags)
    {
        writer.WriteMapHeader(withFlags ? 3 : 2);
        writer.Write("rooms");
        WriteRooms(ref writer, options.Rooms);
        writer.Write("except");
        WriteRooms(ref writer, options.Except);
        if (!withFlags)
        {
            return;
        }

        writer.Write("flags");
        var flags = options.Flags;
        writer.WriteMapHeader((flags.Volatile ? 1 : 0) + (flags.Timeout is null ? 0 : 1));
        if (flags.Volatile)
        {
            writer.Write("volatile");
            writer.Write(true);
        }

        if (flags.Timeout is { } timeout)
        {
            writer.Write("timeout");
            NotepackJson.WriteNumber(ref writer, timeout.TotalMilliseconds);
        }
    }

    private static void WriteRooms(ref MessagePackWriter writer, IReadOnlySet<string> rooms)
    {
        writer.WriteArrayHeader(rooms.Count);
        foreach (var room in rooms)
        {
            writer.Write(room);
        }
    }
}
