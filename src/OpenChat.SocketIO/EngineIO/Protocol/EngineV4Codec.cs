using System.Buffers;
using System.Buffers.Text;

namespace OpenChat.SocketIO.EngineIO;

/// <summary>
/// Everything that is specific to Engine.IO protocol v4 framing lives here, beside the v3 codec: single
/// packets (one per WebSocket frame) and polling payloads (packets joined by the record separator, binary
/// packets as <c>b</c> + base64). Pure: no I/O, never throws on bad input.
/// </summary>
internal sealed class EngineV4Codec : IEngineCodec
{
    public static readonly EngineV4Codec Instance = new();

    private EngineV4Codec()
    {
    }

    public int Version => 4;

    public ReadOnlyMemory<byte> BinaryMessagePrefix => ReadOnlyMemory<byte>.Empty;

    public const byte RecordSeparator = 0x1e;
    private const byte BinaryMarker = (byte)'b';

    /// <summary>Decodes one text packet (a WebSocket text frame or one record of a polling payload).</summary>
    public static bool TryDecodeText(ReadOnlyMemory<byte> utf8, out EnginePacket packet)
    {
        packet = default;
        var span = utf8.Span;
        if (span.IsEmpty)
        {
            return false;
        }

        var type = span[0] - '0';
        if (type < (int)EnginePacketType.Open || type > (int)EnginePacketType.Noop)
        {
            return false;
        }

        var data = utf8[1..];
        if (!IsValidUtf8(data.Span))
        {
            return false;
        }

        packet = new EnginePacket((EnginePacketType)type, data, IsBinary: false);
        return true;
    }

    /// <summary>A binary WebSocket frame is always a message in v4.</summary>
    public static EnginePacket DecodeBinary(ReadOnlyMemory<byte> data) => new(EnginePacketType.Message, data, IsBinary: true);

    /// <summary>
    /// Decodes a polling request body. Returns false (and the packets decoded so far are to be ignored)
    /// when any record is malformed.
    /// </summary>
    public static bool TryDecodePayload(ReadOnlyMemory<byte> body, List<EnginePacket> packets)
    {
        if (body.IsEmpty)
        {
            return false;
        }

        var remaining = body;
        while (true)
        {
            var separator = remaining.Span.IndexOf(RecordSeparator);
            var record = separator < 0 ? remaining : remaining[..separator];
            if (!TryDecodeRecord(record, out var packet))
            {
                return false;
            }

            packets.Add(packet);
            if (separator < 0)
            {
                return true;
            }

            remaining = remaining[(separator + 1)..];
        }
    }

    /// <summary>Writes frames as one polling payload.</summary>
    public static void EncodePayload(ReadOnlySpan<EngineFrame> frames, IBufferWriter<byte> output)
    {
        for (var i = 0; i < frames.Length; i++)
        {
            if (i > 0)
            {
                output.GetSpan(1)[0] = RecordSeparator;
                output.Advance(1);
            }

            var frame = frames[i];
            if (!frame.IsBinary)
            {
                output.Write(frame.Bytes.Span);
                continue;
            }

            var length = Base64.GetMaxEncodedToUtf8Length(frame.Bytes.Length);
            var span = output.GetSpan(length + 1);
            span[0] = BinaryMarker;
            Base64.EncodeToUtf8(frame.Bytes.Span, span[1..], out _, out var written);
            output.Advance(written + 1);
        }
    }

    bool IEngineCodec.TryDecodeText(ReadOnlyMemory<byte> utf8, out EnginePacket packet) => TryDecodeText(utf8, out packet);

    bool IEngineCodec.TryDecodeBinary(ReadOnlyMemory<byte> data, out EnginePacket packet)
    {
        packet = DecodeBinary(data);
        return true;
    }

    // A v4 body is text whatever its content type says: binary packets travel in base64.
    bool IEngineCodec.TryDecodePayload(ReadOnlyMemory<byte> body, bool isBinaryBody, List<EnginePacket> packets) => TryDecodePayload(body, packets);

    bool IEngineCodec.EncodePayload(ReadOnlySpan<EngineFrame> frames, bool binaryAccepted, IBufferWriter<byte> output)
    {
        EncodePayload(frames, output);
        return false;
    }

    public EngineFrame AsBase64Text(EngineFrame binary) => binary;

    private static bool TryDecodeRecord(ReadOnlyMemory<byte> record, out EnginePacket packet)
    {
        if (record.Length > 0 && record.Span[0] == BinaryMarker)
        {
            packet = default;
            var encoded = record.Span[1..];
            var decoded = new byte[Base64.GetMaxDecodedFromUtf8Length(encoded.Length)];
            if (Base64.DecodeFromUtf8(encoded, decoded, out _, out var written) != OperationStatus.Done)
            {
                return false;
            }

            packet = DecodeBinary(decoded.AsMemory(0, written));
            return true;
        }

        return TryDecodeText(record, out packet);
    }

    private static bool IsValidUtf8(ReadOnlySpan<byte> data) => System.Text.Unicode.Utf8.IsValid(data);
}
