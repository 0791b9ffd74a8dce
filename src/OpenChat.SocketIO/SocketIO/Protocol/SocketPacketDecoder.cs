using System.Text.Json;

namespace OpenChat.SocketIO.Protocol;

/// <summary>
/// Reads Socket.IO packets: the header of a v5 text packet, <c>type[attachments-][/namespace,][ackId][json]</c>,
/// and, for every parser alike, the checks on a packet's data (JSON, its shape for the type, placeholders).
/// Pure and non-throwing: bad input yields false and a reason, and the caller closes the connection.
/// </summary>
internal static class SocketPacketDecoder
{
    // Ack ids are JavaScript numbers on the client; more digits than a safe integer has is garbage.
    private const int MaxIdDigits = 15;

    /// <summary>Decodes a whole text packet; attachments it announces are counted, not checked (they come after it).</summary>
    public static bool TryDecode(ReadOnlyMemory<byte> utf8, int maxAttachments, out SocketPacket packet, out string error)
    {
        packet = null!;
        if (!TryReadHeader(utf8.Span, maxAttachments, out var header, out error))
        {
            return false;
        }

        if (!TryParse(header.Type, header.Id, utf8[header.DataStart..], out var data, out error))
        {
            return false;
        }

        packet = new SocketPacket { Type = header.Type, Namespace = header.Namespace, Id = header.Id, Data = data, AttachmentCount = header.Attachments };
        return true;
    }

    /// <summary>
    /// Checks a packet a parser produced, the same way for every parser: its data is JSON of the shape its type
    /// needs, and every placeholder points at one of its attachments.
    /// </summary>
    public static bool TryRead(SocketIOPacket packet, out SocketPacket decoded, out string error)
    {
        decoded = null!;
        if (!TryParse(packet.Type, packet.Id, packet.Data, out var data, out error))
        {
            return false;
        }

        decoded = new SocketPacket { Type = packet.Type, Namespace = packet.Namespace, Id = packet.Id, Data = data, AttachmentCount = packet.Attachments.Count };
        decoded.Attachments.AddRange(packet.Attachments);
        if (!HasValidPlaceholders(decoded))
        {
            error = "placeholder without attachment";
            return false;
        }

        return true;
    }

    /// <summary>Reads <c>type[attachments-][/namespace,][ackId]</c>: what comes before the JSON data.</summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> s, int maxAttachments, out JsonPacketHeader header, out string error)
    {
        header = default;
        if (s.IsEmpty || s[0] < '0' || s[0] > '6')
        {
            error = "unknown packet type";
            return false;
        }

        var type = (SocketPacketType)(s[0] - '0');
        var i = 1;
        var attachments = 0;
        if (type is SocketPacketType.BinaryEvent or SocketPacketType.BinaryAck)
        {
            var start = i;
            while (i < s.Length && s[i] != '-')
            {
                if (s[i] < '0' || s[i] > '9' || i - start >= 6)
                {
                    error = "illegal attachments";
                    return false;
                }

                attachments = (attachments * 10) + (s[i] - '0');
                i++;
            }

            if (i == start || i == s.Length || attachments > maxAttachments)
            {
                error = "illegal attachments";
                return false;
            }

            i++; // '-'
        }

        var nsp = "/";
        if (i < s.Length && s[i] == '/')
        {
            var end = s[i..].IndexOf((byte)',');
            var nspBytes = end < 0 ? s[i..] : s.Slice(i, end);
            nsp = System.Text.Encoding.UTF8.GetString(nspBytes);
            i += nspBytes.Length + (end < 0 ? 0 : 1);
        }

        long? id = null;
        if (i < s.Length && s[i] >= '0' && s[i] <= '9')
        {
            long value = 0;
            var start = i;
            while (i < s.Length && s[i] >= '0' && s[i] <= '9')
            {
                if (i - start >= MaxIdDigits)
                {
                    error = "invalid ack id";
                    return false;
                }

                value = (value * 10) + (s[i] - '0');
                i++;
            }

            id = value;
        }

        header = new JsonPacketHeader(type, attachments, nsp, id, i);
        error = string.Empty;
        return true;
    }

    private static bool TryParse(SocketPacketType type, long? id, ReadOnlyMemory<byte> json, out JsonElement? data, out string error)
    {
        data = null;
        if (!json.IsEmpty)
        {
            try
            {
                data = JsonSerializer.Deserialize<JsonElement>(json.Span);
            }
            catch (JsonException)
            {
                error = "invalid payload";
                return false;
            }
        }

        if (!IsPayloadValid(type, data, id))
        {
            error = "invalid payload";
            return false;
        }

        error = string.Empty;
        return true;
    }

    /// <summary>Every placeholder must point at an attachment the packet carries.</summary>
    public static bool HasValidPlaceholders(SocketPacket packet) =>
        packet.Data is not { } data || PlaceholdersAreValid(data, packet.Attachments.Count);

    /// <summary>Every placeholder in <paramref name="data"/> must point at one of <paramref name="count"/> attachments.</summary>
    public static bool HasValidPlaceholders(JsonElement data, int count) => PlaceholdersAreValid(data, count);

    private static bool IsPayloadValid(SocketPacketType type, JsonElement? data, long? id) => type switch
    {
        SocketPacketType.Connect => data is null || data.Value.ValueKind == JsonValueKind.Object,
        SocketPacketType.Disconnect => data is null,
        SocketPacketType.ConnectError => data is { ValueKind: JsonValueKind.Object or JsonValueKind.String },
        SocketPacketType.Event or SocketPacketType.BinaryEvent => IsEventPayload(data),
        SocketPacketType.Ack or SocketPacketType.BinaryAck => id is not null && data is { ValueKind: JsonValueKind.Array },
        _ => false,
    };

    private static bool IsEventPayload(JsonElement? data)
    {
        if (data is not { ValueKind: JsonValueKind.Array } array || array.GetArrayLength() == 0)
        {
            return false;
        }

        var name = array[0];
        return name.ValueKind == JsonValueKind.Number
            || (JsonStrings.TryGet(name, out var text) && !ReservedEvents.Contains(text));
    }

    private static bool PlaceholdersAreValid(JsonElement element, int count)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                if (BinaryPlaceholder.TryGetIndex(element, out var num))
                {
                    return num >= 0 && num < count;
                }

                foreach (var property in element.EnumerateObject())
                {
                    if (!PlaceholdersAreValid(property.Value, count))
                    {
                        return false;
                    }
                }

                return true;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    if (!PlaceholdersAreValid(item, count))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return true;
        }
    }
}
