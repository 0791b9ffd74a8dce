using System.Net.WebSockets;
using Microsoft.Extensions.Logging;

namespace OpenChat.SocketIO.EngineIO;

// The sending side: one packet as one message (in fragments), and the read receipt after a frame that asks for it.
internal sealed partial class WebSocketTransport
{
    /// <summary>
    /// Sends one packet as one WebSocket message, in fragments of at most <see cref="MaxFragmentLength"/>
    /// bytes. The WebSocket copies each fragment into a pooled buffer while the connection drains; whole
    /// large messages (a presence list to thousands of clients) would each rent a large-object-heap array
    /// that the pool cannot keep, and leave gigabytes of garbage after one broadcast.
    /// </summary>
    private async ValueTask SendFrameAsync(EngineFrame frame)
    {
        if (frame.IsBinary && _session.Base64Binary)
        {
            frame = _session.Codec.AsBase64Text(frame);
        }

        var type = frame.IsBinary ? WebSocketMessageType.Binary : WebSocketMessageType.Text;

        // With permessage-deflate negotiated, small messages go uncompressed, as in the reference server.
        var compression = frame.Bytes.Length < _session.Options.PerMessageDeflate.Threshold ? WebSocketMessageFlags.DisableCompression : WebSocketMessageFlags.None;
        if (frame.IsBinary && _session.Codec.BinaryMessagePrefix is { IsEmpty: false } prefix)
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
