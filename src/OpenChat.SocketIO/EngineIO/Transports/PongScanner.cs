using System.Buffers.Binary;

namespace OpenChat.SocketIO.EngineIO;

/// <summary>
/// Follows the WebSocket frames a client sends (RFC 6455 §5.2: a header, an optional masking key, a payload)
/// and reports a PONG whose payload is the 8-byte token of a ping this server sent. Only headers and PONG
/// payloads are looked at; other payloads are skipped by length. Pure: bytes in, tokens out, any split.
/// </summary>
internal sealed class PongScanner
{
    private const byte PongOpcode = 0xA;
    private const int TokenLength = 8;

    private readonly byte[] _header = new byte[14];
    private readonly byte[] _payload = new byte[TokenLength];
    private int _headerLength;
    private long _remaining;
    private bool _collecting;
    private int _payloadLength;
    private uint _mask;

    /// <summary>Reads the next bytes from the client; calls <paramref name="onPong"/> with the token of each PONG of ours.</summary>
    public void Scan(ReadOnlySpan<byte> data, Action<ulong> onPong)
    {
        while (!data.IsEmpty)
        {
            if (_remaining > 0)
            {
                var take = (int)Math.Min(_remaining, data.Length);
                if (_collecting)
                {
                    data[..take].CopyTo(_payload.AsSpan(_payloadLength));
                    _payloadLength += take;
                }

                _remaining -= take;
                data = data[take..];
                if (_remaining == 0 && _collecting)
                {
                    _collecting = false;
                    onPong(Unmask());
                }

                continue;
            }

            _header[_headerLength++] = data[0];
            data = data[1..];
            if (TryCompleteHeader(out var opcode, out var length))
            {
                _headerLength = 0;
                _remaining = length;
                _payloadLength = 0;
                _collecting = opcode == PongOpcode && length == TokenLength;
            }
        }
    }

    /// <summary>A PING frame (server to client, unmasked) carrying <paramref name="token"/>.</summary>
    public static byte[] PingFrame(ulong token)
    {
        var frame = new byte[2 + TokenLength];
        frame[0] = 0x89; // FIN, opcode 9 (ping)
        frame[1] = TokenLength;
        BinaryPrimitives.WriteUInt64BigEndian(frame.AsSpan(2), token);
        return frame;
    }

    private bool TryCompleteHeader(out int opcode, out long length)
    {
        opcode = _header[0] & 0x0F;
        length = 0;
        if (_headerLength < 2)
        {
            return false;
        }

        var masked = (_header[1] & 0x80) != 0;
        var shortLength = _header[1] & 0x7F;
        var lengthBytes = shortLength switch { 126 => 2, 127 => 8, _ => 0 };
        var needed = 2 + lengthBytes + (masked ? 4 : 0);
        if (_headerLength < needed)
        {
            return false;
        }

        length = lengthBytes switch
        {
            2 => BinaryPrimitives.ReadUInt16BigEndian(_header.AsSpan(2)),
            8 => (long)Math.Min(BinaryPrimitives.ReadUInt64BigEndian(_header.AsSpan(2)), long.MaxValue),
            _ => shortLength,
        };
        _mask = masked ? BinaryPrimitives.ReadUInt32BigEndian(_header.AsSpan(2 + lengthBytes)) : 0;
        return true;
    }

    private ulong Unmask()
    {
        Span<byte> mask = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(mask, _mask);
        for (var i = 0; i < TokenLength; i++)
        {
            _payload[i] ^= mask[i % 4];
        }

        return BinaryPrimitives.ReadUInt64BigEndian(_payload);
    }
}
