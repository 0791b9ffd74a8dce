using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using MessagePack;

namespace OpenChat.SocketIO.Notepack;

/// <summary>
/// Converts between JSON values (with binary placeholders) and MessagePack as notepack.io writes it, which is
/// what the Node Redis adapter publishes and what socket.io-msgpack-parser sends. One source file compiled
/// into each assembly that speaks notepack (src/Shared, linked by OpenChat.SocketIO.Redis and
/// OpenChat.SocketIO.MessagePack), so the two cannot drift apart. A number is an integer in the smallest form
/// when it is whole and finite (as JavaScript holds it, so <c>1.0</c> is <c>1</c>) and a float64 otherwise;
/// strings, arrays and maps take the smallest header; a binary attachment is a <c>bin</c>; <c>null</c> is
/// <c>nil</c>. Pure: no I/O.
/// </summary>
internal static class NotepackJson
{
    /// <summary>Writes a JSON value; placeholders that point at <paramref name="attachments"/> become <c>bin</c>.</summary>
    public static void Write(ref MessagePackWriter writer, JsonElement element, IReadOnlyList<ReadOnlyMemory<byte>> attachments)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                if (attachments.Count > 0 && TryGetPlaceholder(element, out var num) && num < attachments.Count)
                {
                    writer.Write(attachments[num].Span);
                    return;
                }

                var count = 0;
                foreach (var _ in element.EnumerateObject())
                {
                    count++;
                }

                writer.WriteMapHeader(count);
                foreach (var property in element.EnumerateObject())
                {
                    writer.Write(property.Name);
                    Write(ref writer, property.Value, attachments);
                }

                return;
            case JsonValueKind.Array:
                writer.WriteArrayHeader(element.GetArrayLength());
                foreach (var item in element.EnumerateArray())
                {
                    Write(ref writer, item, attachments);
                }

                return;
            case JsonValueKind.String:
                writer.Write(ReadString(element));
                return;
            case JsonValueKind.Number:
                WriteNumber(ref writer, element.GetDouble());
                return;
            case JsonValueKind.True:
                writer.Write(true);
                return;
            case JsonValueKind.False:
                writer.Write(false);
                return;
            default:
                writer.WriteNil();
                return;
        }
    }

    /// <summary>A JavaScript number as notepack.io encodes it.</summary>
    public static void WriteNumber(ref MessagePackWriter writer, double value)
    {
        if (!double.IsFinite(value) || Math.Floor(value) != value)
        {
            writer.Write(value);
        }
        else if (value >= 18446744073709551616d || value < -9223372036854775808d)
        {
            // Out of 64-bit range notepack still writes uint64/int64, from JavaScript's 32-bit views of the
            // high and low halves (hi = value / 2^32, lo = value >>> 0); written the same way here.
            var bytes = new byte[9];
            bytes[0] = value >= 0 ? MessagePackCode.UInt64 : MessagePackCode.Int64;
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(1), ToUint32(Math.Floor(value / 4294967296d)));
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(5), ToUint32(value));
            writer.WriteRaw(bytes);
        }
        else if (value >= 0)
        {
            writer.Write((ulong)value);
        }
        else
        {
            writer.Write((long)value);
        }
    }

    /// <summary>JavaScript's ToUint32 of a whole number: its value modulo 2^32 (exact for doubles, whose remainder is exact).</summary>
    private static uint ToUint32(double whole)
    {
        var remainder = whole % 4294967296d;
        return (uint)(remainder < 0 ? remainder + 4294967296d : remainder);
    }

    /// <summary>
    /// Reads one MessagePack value as JSON. <c>bin</c> becomes a placeholder appended to
    /// <paramref name="attachments"/>; a timestamp becomes the ISO string <c>JSON.stringify</c> gives a Date;
    /// the <c>undefined</c> extension is dropped from maps and is <c>null</c> elsewhere; NaN and infinities are
    /// <c>null</c>, as in JSON.
    /// </summary>
    /// <remarks>Throws MessagePackSerializationException when the bytes are not MessagePack.</remarks>
    public static void Read(ref MessagePackReader reader, Utf8JsonWriter json, List<ReadOnlyMemory<byte>> attachments, int depth = 0)
    {
        if (depth > 64)
        {
            throw new MessagePackSerializationException("Nested too deeply.");
        }

        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Nil:
                reader.ReadNil();
                json.WriteNullValue();
                break;
            case MessagePackType.Boolean:
                json.WriteBooleanValue(reader.ReadBoolean());
                break;
            case MessagePackType.Integer:
                if (reader.NextCode == MessagePackCode.UInt64)
                {
                    json.WriteNumberValue(reader.ReadUInt64());
                }
                else
                {
                    json.WriteNumberValue(reader.ReadInt64());
                }

                break;
            case MessagePackType.Float:
                var number = reader.ReadDouble();
                if (double.IsFinite(number))
                {
                    json.WriteNumberValue(number);
                }
                else
                {
                    json.WriteNullValue();
                }

                break;
            case MessagePackType.String:
                json.WriteStringValue(reader.ReadString());
                break;
            case MessagePackType.Binary:
                var bytes = reader.ReadBytes() ?? default;
                WritePlaceholder(json, attachments.Count);
                attachments.Add(bytes.ToArray());
                break;
            case MessagePackType.Array:
                var length = reader.ReadArrayHeader();
                json.WriteStartArray();
                for (var i = 0; i < length; i++)
                {
                    Read(ref reader, json, attachments, depth + 1);
                }

                json.WriteEndArray();
                break;
            case MessagePackType.Map:
                var entries = reader.ReadMapHeader();
                json.WriteStartObject();
                for (var i = 0; i < entries; i++)
                {
                    var key = ReadKey(ref reader);
                    if (IsUndefined(reader))
                    {
                        reader.Skip();
                        continue;
                    }

                    json.WritePropertyName(key);
                    Read(ref reader, json, attachments, depth + 1);
                }

                json.WriteEndObject();
                break;
            case MessagePackType.Extension:
                ReadExtension(ref reader, json, attachments);
                break;
            default:
                throw new MessagePackSerializationException($"Unexpected MessagePack code 0x{reader.NextCode:x2}.");
        }
    }

    /// <summary>Reads one MessagePack value into a JSON element (placeholders for binaries, appended to <paramref name="attachments"/>).</summary>
    public static JsonElement ReadElement(ref MessagePackReader reader, List<ReadOnlyMemory<byte>> attachments)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true }))
        {
            Read(ref reader, json, attachments);
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    /// <summary>A map key or plain string; numbers and booleans are turned into their text, as a JavaScript object key would be.</summary>
    public static string ReadKey(ref MessagePackReader reader) => reader.NextMessagePackType switch
    {
        MessagePackType.String => reader.ReadString() ?? string.Empty,
        MessagePackType.Integer => reader.ReadInt64().ToString(CultureInfo.InvariantCulture),
        MessagePackType.Float => reader.ReadDouble().ToString("R", CultureInfo.InvariantCulture),
        MessagePackType.Boolean => reader.ReadBoolean() ? "true" : "false",
        MessagePackType.Nil => ReadNilKey(ref reader),
        _ => throw new MessagePackSerializationException("Unsupported map key."),
    };

    /// <summary>Whether a JSON object is a binary placeholder, and its index.</summary>
    public static bool TryGetPlaceholder(JsonElement element, out int num)
    {
        num = -1;
        return element.ValueKind == JsonValueKind.Object
            && element.TryGetProperty("_placeholder", out var flag) && flag.ValueKind == JsonValueKind.True
            && element.TryGetProperty("num", out var index) && index.TryGetInt32(out num) && num >= 0;
    }

    /// <summary>A JSON string's value, with lone surrogate escapes (valid JSON, invalid UTF-16) kept rather than refused.</summary>
    public static string ReadString(JsonElement element)
    {
        try
        {
            return element.GetString()!;
        }
        catch (InvalidOperationException)
        {
            var raw = element.GetRawText();
            return Unescape(raw.AsSpan(1, raw.Length - 2));
        }
    }

    private static void WritePlaceholder(Utf8JsonWriter json, int num)
    {
        json.WriteStartObject();
        json.WriteBoolean("_placeholder", true);
        json.WriteNumber("num", num);
        json.WriteEndObject();
    }

    private static string ReadNilKey(ref MessagePackReader reader)
    {
        reader.ReadNil();
        return "null";
    }

    private static bool IsUndefined(MessagePackReader peek)
    {
        if (peek.NextMessagePackType != MessagePackType.Extension)
        {
            return false;
        }

        var header = peek.ReadExtensionFormatHeader();
        return header.TypeCode == 0 && header.Length == 1;
    }

    private static void ReadExtension(ref MessagePackReader reader, Utf8JsonWriter json, List<ReadOnlyMemory<byte>> attachments)
    {
        var peek = reader;
        var header = peek.ReadExtensionFormatHeader();
        if (header.TypeCode == ReservedMessagePackExtensionTypeCode.DateTime)
        {
            var time = reader.ReadDateTime();
            json.WriteStringValue(time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            return;
        }

        var fixExt8 = reader.NextCode == MessagePackCode.FixExt8;
        var extension = reader.ReadExtensionFormat();
        if (header.TypeCode == 0 && fixExt8)
        {
            // notepack 2.x's Date (socket.io-msgpack-parser): milliseconds since the epoch, as a signed high
            // and an unsigned low 32-bit half; an 8-byte ArrayBuffer would have been an ext 8 instead.
            var data = extension.Data.ToArray();
            var ms = ((long)System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(data) << 32) | System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(4));
            if (ms is >= -62135596800000 and <= 253402300799999)
            {
                json.WriteStringValue(DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            }
            else
            {
                json.WriteNullValue();
            }

            return;
        }

        if (header.TypeCode == 0 && header.Length == 1)
        {
            // notepack's "undefined".
            json.WriteNullValue();
            return;
        }

        if (header.TypeCode == 0)
        {
            // notepack's old ArrayBuffer encoding.
            WritePlaceholder(json, attachments.Count);
            attachments.Add(extension.Data.ToArray());
            return;
        }

        // notepack decodes any other extension as [type, Buffer].
        json.WriteStartArray();
        json.WriteNumberValue(header.TypeCode);
        WritePlaceholder(json, attachments.Count);
        attachments.Add(extension.Data.ToArray());
        json.WriteEndArray();
    }

    private static string Unescape(ReadOnlySpan<char> raw)
    {
        var text = new StringBuilder(raw.Length);
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (c != '\\' || i + 1 >= raw.Length)
            {
                text.Append(c);
                continue;
            }

            var e = raw[++i];
            switch (e)
            {
                case 'n': text.Append('\n'); break;
                case 'r': text.Append('\r'); break;
                case 't': text.Append('\t'); break;
                case 'b': text.Append('\b'); break;
                case 'f': text.Append('\f'); break;
                case 'u' when i + 4 < raw.Length:
                    text.Append((char)int.Parse(raw.Slice(i + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    i += 4;
                    break;
                default: text.Append(e); break;
            }
        }

        return text.ToString();
    }
}
