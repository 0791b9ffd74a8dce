using System.Net.WebSockets;
using Microsoft.Extensions.Logging;

namespace OpenChat.SocketIO.EngineIO;

// The sending side: one packet as one message (in fragments), and the read receipt after a frame that asks for it.
internal sealed partial class WebSocketTransport
{
    private const byte ContinuationOpcode = 0x0;
    private const byte TextOpcode = 0x1;
    private const byte BinaryOpcode = 0x2;

    /// <summary>
    /// Sends one packet as one WebSocket message, in fragments of at most <see cref="MaxFragmentLength"/> bytes.
    /// Without permessage-deflate (the default) the transport frames it itself (<see cref="SendFramesAsync"/>);
    /// with compression on, the WebSocket does. Each fragment is copied into a pooled buffer while the connection
    /// drains; whole large messages (a presence list to thousands of clients) would each rent a large-object-heap
    /// array that the pool cannot keep, and leave gigabytes of garbage after one broadcast.
    /// </summary>
    private async ValueTask SendFrameAsync(EngineFrame frame)
    {
        if (frame.IsBinary && _session.Base64Binary)
        {
            frame = _session.Codec.AsBase64Text(frame);
        }

        var prefix = frame.IsBinary ? _session.Codec.BinaryMessagePrefix : ReadOnlyMemory<byte>.Empty;
        if (_receipts is not null && !_session.Options.PerMessageDeflate.Enabled)
        {
            await SendFramesAsync(_receipts, frame, prefix);
            return;
        }

        var type = frame.IsBinary ? WebSocketMessageType.Binary : WebSocketMessageType.Text;

        // With permessage-deflate negotiated, small messages go uncompressed, as in the reference server.
        var compression = frame.Bytes.Length < _session.Options.PerMessageDeflate.Threshold ? WebSocketMessageFlags.DisableCompression : WebSocketMessageFlags.None;
        if (!prefix.IsEmpty)
        {
            // v3 binary messages start with the packet type: a fragment of its own, so the shared bytes of a
            // broadcast are not copied for each v3 recipient.
            await _socket.SendAsync(prefix, type, compression, _stop.Token);
        }

        var remaining = frame.Bytes;
        while (remaining.Length > MaxFragmentLength)
        {
            var length = FragmentLength(remaining.Span, frame.IsBinary);
            await _socket.SendAsync(remaining[..length], type, compression, _stop.Token);
            remaining = remaining[length..];
        }

        await _socket.SendAsync(remaining, type, compression | WebSocketMessageFlags.EndOfMessage, _stop.Token);
    }

    /// <summary>
    /// The same message framed here, fragment by fragment as the WebSocket would (v3's binary prefix a fragment
    /// of its own, then at most <see cref="MaxFragmentLength"/> bytes each, text on character boundaries), written
    /// straight into the connection's stream: no per-send lock, cancellation registration or second buffer.
    /// </summary>
    private async ValueTask SendFramesAsync(ReadReceiptStream stream, EngineFrame frame, ReadOnlyMemory<byte> prefix)
    {
        var opcode = frame.IsBinary ? BinaryOpcode : TextOpcode;
        if (!prefix.IsEmpty)
        {
            await stream.WriteFrameAsync(opcode, final: false, prefix, _stop.Token);
            opcode = ContinuationOpcode;
        }

        var remaining = frame.Bytes;
        while (remaining.Length > MaxFragmentLength)
        {
            var length = FragmentLength(remaining.Span, frame.IsBinary);
            await stream.WriteFrameAsync(opcode, final: false, remaining[..length], _stop.Token);
            opcode = ContinuationOpcode;
            remaining = remaining[length..];
        }

        await stream.WriteFrameAsync(opcode, final: true, remaining, _stop.Token);
    }

    /// <summary>
    /// Holds the next frames until the client has read what was sent: the frames may otherwise reach the
    /// client in the same TCP read, even when written apart, and a client that handles one message per read
    /// (the official protocol test suites do) would miss the second. One round trip, only after a frame that
    /// asks for it; a client that does not answer pings holds its frames back at most a ping timeout.
    /// </summary>
    private async Task AwaitReadReceiptAsync()
    {
        if (_receipts is not null && !await _receipts.WaitUntilReadAsync(_session.Options.PingTimeout, _stop.Token))
        {
            Log.NoReadReceipt(_session.Logger, _session.Id);
        }
    }

    /// <summary>Where the next fragment ends; text fragments end on a character boundary.</summary>
    internal static int FragmentLength(ReadOnlySpan<byte> remaining, bool isBinary)
    {
        var length = MaxFragmentLength;
        if (!isBinary)
        {
            // Back off UTF-8 continuation bytes (10xxxxxx) so no character is split between fragments.
            while (length > MaxFragmentLength - 4 && (remaining[length] & 0xC0) == 0x80)
            {
                length--;
            }
        }

        return length;
    }
}
