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
    /// Sends one packet as one WebSocket message, in fragments of at most <see cref="MaxFragmentLength"/> bytes
    /// (text on character boundaries; v3's binary prefix a fragment of its own, so the shared bytes of a broadcast
    /// are not copied for each v3 recipient). Each fragment is copied into a pooled buffer while the connection
    /// drains; whole large messages (a presence list to thousands of clients) would each rent a large-object-heap
    /// array that the pool cannot keep, and leave gigabytes of garbage after one broadcast.
    /// </summary>
    private async ValueTask SendFrameAsync(EngineFrame frame)
    {
        if (frame.IsBinary && _session.Base64Binary)
        {
            frame = _session.Codec.AsBase64Text(frame);
        }

        var first = true;
        var prefix = frame.IsBinary ? _session.Codec.BinaryMessagePrefix : ReadOnlyMemory<byte>.Empty;
        if (!prefix.IsEmpty)
        {
            await SendFragmentAsync(frame, prefix, first, final: false);
            first = false;
        }

        var remaining = frame.Bytes;
        while (remaining.Length > MaxFragmentLength)
        {
            var length = FragmentLength(remaining.Span, frame.IsBinary);
            await SendFragmentAsync(frame, remaining[..length], first, final: false);
            first = false;
            remaining = remaining[length..];
        }

        await SendFragmentAsync(frame, remaining, first, final: true);
    }

    /// <summary>
    /// One fragment of <paramref name="frame"/>. Without permessage-deflate (the default) the transport frames it
    /// itself, straight into the connection's stream: no per-send lock, cancellation registration or second
    /// buffer, as the WebSocket's cancellable sends take. With compression on, the WebSocket frames it, and small
    /// messages go uncompressed, as in the reference server.
    /// </summary>
    private ValueTask SendFragmentAsync(EngineFrame frame, ReadOnlyMemory<byte> fragment, bool first, bool final)
    {
        if (_receipts is not null && !_session.Options.PerMessageDeflate.Enabled)
        {
            var opcode = !first ? ContinuationOpcode : frame.IsBinary ? BinaryOpcode : TextOpcode;
            return _receipts.WriteFrameAsync(opcode, final, fragment, _stop.Token);
        }

        var type = frame.IsBinary ? WebSocketMessageType.Binary : WebSocketMessageType.Text;
        var flags = frame.Bytes.Length < _session.Options.PerMessageDeflate.Threshold ? WebSocketMessageFlags.DisableCompression : WebSocketMessageFlags.None;
        return _socket.SendAsync(fragment, type, final ? flags | WebSocketMessageFlags.EndOfMessage : flags, _stop.Token);
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
