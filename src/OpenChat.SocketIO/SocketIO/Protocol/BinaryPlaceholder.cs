using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenChat.SocketIO.Protocol;

/// <summary>
/// The <c>{"_placeholder":true,"num":n}</c> markers that stand for binary attachments. When a packet is
/// encoded, byte arrays at any depth of an argument become attachments of that packet (the
/// <see cref="PacketWriter"/> found from the JSON writer); elsewhere they are base64, as JSON has them.
/// </summary>
internal static class BinaryPlaceholder
{
    public static bool TryGetIndex(JsonElement element, out int num)
    {
        num = -1;
        if (element.ValueKind != JsonValueKind.Object
            || !element.TryGetProperty("_placeholder", out var flag) || flag.ValueKind != JsonValueKind.True)
        {
            return false;
        }

        if (element.TryGetProperty("num", out var index) && index.ValueKind == JsonValueKind.Number && index.TryGetInt32(out var value))
        {
            num = value;
        }

        return true;
    }

    public static void Write(Utf8JsonWriter writer, int num)
    {
        writer.WriteStartObject();
        writer.WriteBoolean("_placeholder", true);
        writer.WriteNumber("num", num);
        writer.WriteEndObject();
    }

    /// <summary>Writes an attachment as a placeholder when a packet is being encoded, else as base64.</summary>
    public static void WriteBytes(Utf8JsonWriter writer, ReadOnlyMemory<byte> bytes)
    {
        if (PacketWriter.TryFind(writer, out var packet))
        {
            Write(writer, packet.Attachments.Count);
            packet.Attachments.Add(bytes);
        }
        else
        {
            writer.WriteBase64StringValue(bytes.Span);
        }
    }

    /// <summary>
    /// Writes a received element compactly, keeping key order and the exact text of every key, string and
    /// number (so what comes in goes out as JSON.stringify would send it, lone surrogate escapes included),
    /// and turning its placeholders back into attachments of the packet being encoded (renumbered, since
    /// several sources may be combined).
    /// </summary>
    public static void WriteElement(Utf8JsonWriter writer, JsonElement element, IReadOnlyList<ReadOnlyMemory<byte>> attachments)
    {
        var packet = PacketWriter.TryFind(writer, out var found) ? found : null;
        var output = packet?.Scratch ?? new ArrayBufferWriter<byte>(256);
        output.ResetWrittenCount();
        AppendElement(output, element, attachments, packet?.Attachments);
        writer.WriteRawValue(output.WrittenSpan, skipInputValidation: true);
    }

    /// <summary>
    /// The element as JSON with each placeholder replaced by its attachment in base64, which is how
    /// <c>System.Text.Json</c> reads a <c>byte[]</c>: typed reads of received arguments need nothing more.
    /// </summary>
    public static ReadOnlyMemory<byte> InlineAttachments(JsonElement element, IReadOnlyList<ReadOnlyMemory<byte>> attachments)
    {
        var output = new ArrayBufferWriter<byte>(256);
        AppendElement(output, element, attachments, outgoing: null);
        return output.WrittenMemory;
    }

    private static void AppendElement(ArrayBufferWriter<byte> output, JsonElement element, IReadOnlyList<ReadOnlyMemory<byte>> attachments, List<ReadOnlyMemory<byte>>? outgoing)
    {
        if (attachments.Count == 0 || element.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array))
        {
            AppendCompact(output, JsonMarshal.GetRawUtf8Value(element));
            return;
        }

        if (TryGetIndex(element, out var num) && num >= 0 && num < attachments.Count)
        {
            AppendAttachment(output, attachments[num], outgoing);
            return;
        }

        var first = true;
        if (element.ValueKind == JsonValueKind.Object)
        {
            output.Write("{"u8);
            foreach (var property in element.EnumerateObject())
            {
                output.Write(first ? "\""u8 : ",\""u8);
                output.Write(JsonMarshal.GetRawUtf8PropertyName(property));
                output.Write("\":"u8);
                AppendElement(output, property.Value, attachments, outgoing);
                first = false;
            }

            output.Write("}"u8);
            return;
        }

        output.Write("["u8);
        foreach (var item in element.EnumerateArray())
        {
            if (!first)
            {
                output.Write(","u8);
            }

            AppendElement(output, item, attachments, outgoing);
            first = false;
        }

        output.Write("]"u8);
    }

    private static void AppendAttachment(ArrayBufferWriter<byte> output, ReadOnlyMemory<byte> bytes, List<ReadOnlyMemory<byte>>? outgoing)
    {
        if (outgoing is not null)
        {
            output.Write("{\"_placeholder\":true,\"num\":"u8);
            output.Write(Encoding.ASCII.GetBytes(outgoing.Count.ToString(CultureInfo.InvariantCulture)));
            output.Write("}"u8);
            outgoing.Add(bytes);
        }
        else
        {
            output.Write("\""u8);
            output.Write(Encoding.ASCII.GetBytes(Convert.ToBase64String(bytes.Span)));
            output.Write("\""u8);
        }
    }

    /// <summary>Copies valid JSON text without its insignificant whitespace; strings are copied as they are.</summary>
    private static void AppendCompact(ArrayBufferWriter<byte> output, ReadOnlySpan<byte> json)
    {
        var span = output.GetSpan(json.Length);
        var length = 0;
        var inString = false;
        for (var i = 0; i < json.Length; i++)
        {
            var b = json[i];
            if (inString)
            {
                span[length++] = b;
                if (b == (byte)'\\')
                {
                    span[length++] = json[++i];
                }
                else if (b == (byte)'"')
                {
                    inString = false;
                }
            }
            else if (b is not ((byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r'))
            {
                span[length++] = b;
                inString = b == (byte)'"';
            }
        }

        output.Advance(length);
    }

    /// <summary>Received attachments arrive here already inlined as base64 (<see cref="InlineAttachments"/>).</summary>
    private static byte[] ReadBytes(ref Utf8JsonReader reader) =>
        reader.TokenType == JsonTokenType.String ? reader.GetBytesFromBase64() : throw new JsonException("Expected a binary attachment.");

    /// <summary>Writes <c>byte[]</c> as an attachment of the packet being encoded (base64 elsewhere).</summary>
    internal sealed class ByteArrayConverter : JsonConverter<byte[]>
    {
        public override byte[] Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadBytes(ref reader);

        public override void Write(Utf8JsonWriter writer, byte[] value, JsonSerializerOptions options) => WriteBytes(writer, value);
    }

    /// <summary>Writes <c>ReadOnlyMemory&lt;byte&gt;</c> as an attachment of the packet being encoded (base64 elsewhere).</summary>
    internal sealed class MemoryConverter : JsonConverter<ReadOnlyMemory<byte>>
    {
        public override ReadOnlyMemory<byte> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadBytes(ref reader);

        public override void Write(Utf8JsonWriter writer, ReadOnlyMemory<byte> value, JsonSerializerOptions options) => WriteBytes(writer, value);
    }
}
