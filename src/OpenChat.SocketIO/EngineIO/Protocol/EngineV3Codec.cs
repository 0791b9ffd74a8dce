using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace OpenChat.SocketIO.EngineIO;

/// <summary>
/// Engine.IO protocol v3 framing (engine.io-parser 2.x, the Socket.IO 2.x clients). Single packets are as
/// in v4, except that a binary WebSocket message starts with its packet type byte and a text one may be a
/// base64 binary packet (<c>b4...</c>). Polling payloads are length-prefixed: as text,
/// <c>&lt;length&gt;:&lt;packet&gt;</c> where the length counts UTF-16 code units as JavaScript does, binary
/// packets in base64; as binary (<c>application/octet-stream</c>), each packet is <c>0</c> (text) or
/// <c>1</c> (binary), its length as one byte per decimal digit, <c>255</c>, then its bytes (text in UTF-8).
/// Pure: no I/O, never throws on bad input.
/// </summary>
internal sealed class EngineV3Codec : IEngineCodec
{
    public static readonly EngineV3Codec Instance = new();

    private const byte BinaryMarker = (byte)'b';
    private const byte LengthEnd = 255;
    private const int MaxLengthDigits = 10;
    private static readonly byte[] MessageType = [(byte)EnginePacketType.Message];

    private EngineV3Codec()
    {
    }

    public int Version => 3;

    public ReadOnlyMemory<byte> BinaryMessagePrefix => MessageType;

    public bool TryDecodeText(ReadOnlyMemory<byte> utf8, out EnginePacket packet)
    {
        if (utf8.Length > 0 && utf8.Span[0] == BinaryMarker)
        {
            return TryDecodeBase64(utf8.Span[1..], out packet);
        }

        return EngineV4Codec.TryDecodeText(utf8, out packet);
    }

    /// <summary>A binary message: its first byte is the packet type, which can only be a message.</summary>
    public bool TryDecodeBinary(ReadOnlyMemory<byte> data, out EnginePacket packet)
    {
        packet = default;
        if (data.IsEmpty || data.Span[0] != (byte)EnginePacketType.Message)
        {
            return false;
        }

        packet = EngineV4Codec.DecodeBinary(data[1..]);
        return true;
    }

    public bool TryDecodePayload(ReadOnlyMemory<byte> body, bool isBinaryBody, List<EnginePacket> packets) =>
        !body.IsEmpty && (isBinaryBody ? TryDecodeBinaryPayload(body, packets) : TryDecodeTextPayload(body, packets));

    public bool EncodePayload(ReadOnlySpan<EngineFrame> frames, bool binaryAccepted, IBufferWriter<byte> output)
    {
        var binary = false;
        if (binaryAccepted)
        {
            foreach (var frame in frames)
            {
                binary |= frame.IsBinary;
            }
        }

        foreach (var frame in frames)
        {
            if (binary)
            {
                WriteBinaryRecord(frame, output);
            }
            else
            {
                WriteTextRecord(frame, output);
            }
        }

        return binary;
    }

    public EngineFrame AsBase64Text(EngineFrame binary)
    {
        var bytes = new byte[2 + Base64.GetMaxEncodedToUtf8Length(binary.Bytes.Length)];
        bytes[0] = BinaryMarker;
        bytes[1] = EngineFrame.TypeChar(EnginePacketType.Message);
        Base64.EncodeToUtf8(binary.Bytes.Span, bytes.AsSpan(2), out _, out var written);
        return new EngineFrame(bytes.AsMemory(0, 2 + written), isBinary: false) { ReadBeforeNext = binary.ReadBeforeNext };
    }

    private static bool TryDecodeTextPayload(ReadOnlyMemory<byte> body, List<EnginePacket> packets)
    {
        if (!System.Text.Unicode.Utf8.IsValid(body.Span))
        {
            return false;
        }

        var text = Encoding.UTF8.GetString(body.Span);
        var i = 0;
        while (i < text.Length)
        {
            var colon = text.IndexOf(':', i);
            if (colon <= i || colon - i > MaxLengthDigits || !int.TryParse(text.AsSpan(i, colon - i), System.Globalization.NumberStyles.None, null, out var length)
                || length > text.Length - colon - 1)
            {
                return false;
            }

            // An empty record carries nothing and is skipped, as engine.io-parser does.
            if (length > 0 && !TryDecodeText(Encoding.UTF8.GetBytes(text, colon + 1, length), packets))
            {
                return false;
            }

            i = colon + 1 + length;
        }

        return true;
    }

    private static bool TryDecodeText(byte[] record, List<EnginePacket> packets)
    {
        if (!Instance.TryDecodeText(record, out var packet))
        {
            return false;
        }

        packets.Add(packet);
        return true;
    }

    private static bool TryDecodeBinaryPayload(ReadOnlyMemory<byte> body, List<EnginePacket> packets)
    {
        var remaining = body;
        while (!remaining.IsEmpty)
        {
            var span = remaining.Span;
            var isText = span[0] == 0;
            if (span[0] > 1)
            {
                return false;
            }

            var length = 0;
            var i = 1;
            for (; i < span.Length && span[i] != LengthEnd; i++)
            {
                if (span[i] > 9 || i > MaxLengthDigits)
                {
                    return false;
                }

                length = (length * 10) + span[i];
            }

            if (i == 1 || i == span.Length || length > span.Length - i - 1)
            {
                return false;
            }

            var record = remaining.Slice(i + 1, length);
            EnginePacket packet;
            if (isText ? !EngineV4Codec.TryDecodeText(record, out packet) : !Instance.TryDecodeBinary(record, out packet))
            {
                return false;
            }

            packets.Add(packet);
            remaining = remaining[(i + 1 + length)..];
        }

        return true;
    }

    private static bool TryDecodeBase64(ReadOnlySpan<byte> encoded, out EnginePacket packet)
    {
        packet = default;
        if (encoded.IsEmpty || encoded[0] != EngineFrame.TypeChar(EnginePacketType.Message))
        {
            return false;
        }

        var decoded = new byte[Base64.GetMaxDecodedFromUtf8Length(encoded.Length - 1)];
        if (Base64.DecodeFromUtf8(encoded[1..], decoded, out _, out var written) != OperationStatus.Done)
        {
            return false;
        }

        packet = EngineV4Codec.DecodeBinary(decoded.AsMemory(0, written));
        return true;
    }

    /// <summary><c>length:packet</c>, the length in UTF-16 code units; a binary frame as <c>b4</c> + base64.</summary>
    private static void WriteTextRecord(EngineFrame frame, IBufferWriter<byte> output)
    {
        if (frame.IsBinary)
        {
            var encodedLength = Base64.GetMaxEncodedToUtf8Length(frame.Bytes.Length);
            WriteAscii(output, (2 + encodedLength).ToString(System.Globalization.CultureInfo.InvariantCulture) + ":b4");
            var span = output.GetSpan(encodedLength);
            Base64.EncodeToUtf8(frame.Bytes.Span, span, out _, out var written);
            output.Advance(written);
            return;
        }

        WriteAscii(output, Encoding.UTF8.GetCharCount(frame.Bytes.Span).ToString(System.Globalization.CultureInfo.InvariantCulture) + ":");
        output.Write(frame.Bytes.Span);
    }

    /// <summary><c>0</c> or <c>1</c>, the byte length as decimal digits (one byte each), <c>255</c>, the bytes.</summary>
    private static void WriteBinaryRecord(EngineFrame frame, IBufferWriter<byte> output)
    {
        var length = frame.Bytes.Length + (frame.IsBinary ? 1 : 0);
        var digits = length.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var head = output.GetSpan(digits.Length + 3);
        head[0] = frame.IsBinary ? (byte)1 : (byte)0;
        for (var i = 0; i < digits.Length; i++)
        {
            head[i + 1] = (byte)(digits[i] - '0');
        }

        head[digits.Length + 1] = LengthEnd;
        var written = digits.Length + 2;
        if (frame.IsBinary)
        {
            head[written++] = (byte)EnginePacketType.Message;
        }

        output.Advance(written);
        output.Write(frame.Bytes.Span);
    }

    private static void WriteAscii(IBufferWriter<byte> output, string text)
    {
        var span = output.GetSpan(text.Length);
        Encoding.ASCII.GetBytes(text, span);
        output.Advance(text.Length);
    }
}
