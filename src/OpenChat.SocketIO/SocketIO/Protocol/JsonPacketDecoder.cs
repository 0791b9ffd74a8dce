using OpenChat.SocketIO.EngineIO;

namespace OpenChat.SocketIO.Protocol;

/// <summary>
/// The JSON format's decoder for one connection: a text packet that announces binary attachments waits for
/// that many binary messages, and nothing else may come in between.
/// </summary>
internal sealed class JsonPacketDecoder(SocketIODecoderLimits limits) : SocketIOPacketDecoder
{
    private JsonPacketHeader _pending;
    private ReadOnlyMemory<byte> _pendingData;
    private List<ReadOnlyMemory<byte>>? _attachments;
    private long _bytes;

    /// <summary>Attachments received of the packet being put together; null when there is none (for tests).</summary>
    public int? PendingAttachments => Volatile.Read(ref _attachments)?.Count;

    public override SocketIODecodeResult Add(EngineMessage message, out SocketIOPacket? packet, out string? error)
    {
        packet = null;
        error = null;
        if (message.IsBinary)
        {
            if (_attachments is null)
            {
                error = "binary data outside a binary packet";
                return SocketIODecodeResult.Invalid;
            }

            _bytes += message.Data.Length;
            if (_bytes > limits.MaxPacketBytes)
            {
                Volatile.Write(ref _attachments, null);
                error = $"binary packet over {limits.MaxPacketBytes} bytes with its attachments";
                return SocketIODecodeResult.Invalid;
            }

            _attachments.Add(message.Data);
            if (_attachments.Count < _pending.Attachments)
            {
                return SocketIODecodeResult.Incomplete;
            }

            packet = new SocketIOPacket(_pending.Type, _pending.Namespace, _pending.Id, _pendingData, _attachments);
            Volatile.Write(ref _attachments, null);
            return SocketIODecodeResult.Complete;
        }

        if (_attachments is not null)
        {
            error = "text packet while binary attachments were expected";
            return SocketIODecodeResult.Invalid;
        }

        if (!SocketPacketDecoder.TryReadHeader(message.Data.Span, limits.MaxAttachments, out var header, out var headerError))
        {
            error = headerError;
            return SocketIODecodeResult.Invalid;
        }

        var data = message.Data[header.DataStart..];
        if (header.Attachments > 0)
        {
            _pending = header;
            _pendingData = data;
            _bytes = message.Data.Length;
            Volatile.Write(ref _attachments, new List<ReadOnlyMemory<byte>>(header.Attachments));
            return SocketIODecodeResult.Incomplete;
        }

        packet = new SocketIOPacket(header.Type, header.Namespace, header.Id, data, []);
        return SocketIODecodeResult.Complete;
    }
}
