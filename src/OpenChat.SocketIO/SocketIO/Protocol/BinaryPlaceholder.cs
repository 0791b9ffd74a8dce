using System.Buffers;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenChat.SocketIO.Protocol;

/// <summary>
/// The <c>{"_placeholder":true,"num":n}</c> markers that stand for binary attachments. While a packet is
/// being encoded or its arguments read, the attachments in play are kept per thread, so byte arrays at any
/// depth of an argument become (or come from) attachments.
/// </summary>
internal static class BinaryPlaceholder
{
    [ThreadStatic]
    private static List<ReadOnlyMemory<byte>>? t_outgoing;

    [ThreadStatic]
    private static IReadOnlyList<ReadOnlyMemory<byte>>? t_incoming;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_element;

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

    /// <summary>Collects attachments written on this thread until the scope is disposed.</summary>
    public static OutgoingScope CollectOutgoing(List<ReadOnlyMemory<byte>> attachments)
    {
        var previous = t_outgoing;
        t_outgoing = attachments;
        return new OutgoingScope(previous);
    }

    /// <summary>Resolves placeholders read on this thread from these attachments until the scope is disposed.</summary>
    public static IncomingScope ResolveFrom(IReadOnlyList<ReadOnlyMemory<byte>> attachments)
    {
        var previous = t_incoming;
        t_incoming = attachments;
        return new IncomingScope(previous);
    }

    /// <summary>Writes an attachment as a placeholder when a packet is being encoded, else as base64.</summary>
    public static void WriteBytes(Utf8JsonWriter writer, ReadOnlyMemory<byte> bytes)
    {
        if (t_outgoing is { } outgoing)
        {
            Write(writer, outgoing.Count);
            outgoing.Add(bytes);
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
        var output = t_element ??= new ArrayBufferWriter<byte>(256);
        output.ResetWrittenCount();
        AppendElement(output, element, attachments);
        writer.WriteRawValue(output.WrittenSpan, skipInputValidation: true);
    }

    private static void AppendElement(ArrayBufferWriter<byte> output, JsonElement element, IReadOnlyList<ReadOnlyMemory<byte>> attachments)
    {
        if (attachments.Count == 0 || element.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array))
        {
            AppendCompact(output, JsonMarshal.GetRawUtf8Value(element));
            return;
        }

        if (TryGetIndex(element, out var num) && num >= 0 && num < attachments.Count)
        {
            AppendAttachment(output, attachments[num]);
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
                AppendElement(output, property.Value, attachments);
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

            AppendElement(output, item, attachments);
            first = false;
        }

        output.Write("]"u8);
    }

    private static void AppendAttachment(ArrayBufferWriter<byte> output, ReadOnlyMemory<byte> bytes)
    {
        if (t_outgoing is { } outgoing)
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

    private static byte[] ReadBytes(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetBytesFromBase64();
        }

        using var document = JsonDocument.ParseValue(ref reader);
        if (TryGetIndex(document.RootElement, out var num) && t_incoming is { } incoming && num >= 0 && num < incoming.Count)
        {
            return incoming[num].ToArray();
        }

        throw new JsonException("Expected a binary attachment.");
    }

    internal readonly struct OutgoingScope(List<ReadOnlyMemory<byte>>? previous) : IDisposable
    {
        public void Dispose() => t_outgoing = previous;
    }

    internal readonly struct IncomingScope(IReadOnlyList<ReadOnlyMemory<byte>>? previous) : IDisposable
    {
        public void Dispose() => t_incoming = previous;
    }

    /// <summary>Maps <c>byte[]</c> to attachments in both directions.</summary>
    internal sealed class ByteArrayConverter : JsonConverter<byte[]>
    {
        public override byte[] Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadBytes(ref reader);

        public override void Write(Utf8JsonWriter writer, byte[] value, JsonSerializerOptions options) => WriteBytes(writer, value);
    }

    /// <summary>Maps <c>ReadOnlyMemory&lt;byte&gt;</c> to attachments in both directions.</summary>
    internal sealed class MemoryConverter : JsonConverter<ReadOnlyMemory<byte>>
    {
        public override ReadOnlyMemory<byte> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => ReadBytes(ref reader);

        public override void Write(Utf8JsonWriter writer, ReadOnlyMemory<byte> value, JsonSerializerOptions options) => WriteBytes(writer, value);
    }
}
