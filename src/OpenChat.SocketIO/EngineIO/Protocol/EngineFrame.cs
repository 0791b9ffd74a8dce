using System.Text;

namespace OpenChat.SocketIO.EngineIO;

/// <summary>
/// An outgoing packet already encoded for the wire: text frames carry their type character first,
/// binary frames are the raw message. Frames are immutable so one broadcast can share the same bytes
/// across every recipient's queue.
/// </summary>
internal readonly struct EngineFrame
{
    public EngineFrame(ReadOnlyMemory<byte> bytes, bool isBinary)
    {
        Bytes = bytes;
        IsBinary = isBinary;
    }

    public ReadOnlyMemory<byte> Bytes { get; }

    public bool IsBinary { get; }

    /// <summary>
    /// The client reads this frame before any later one is sent: polling ends the payload with it, WebSocket
    /// waits for the client's read receipt. For a reply a naive client must see on its own (Socket.IO's
    /// CONNECT reply, before the connection handlers' first packets).
    /// </summary>
    public bool ReadBeforeNext { get; init; }

    /// <summary>Whether this is the close packet.</summary>
    public bool IsClose => !IsBinary && Bytes.Length == 1 && Bytes.Span[0] == TypeChar(EnginePacketType.Close);

    public static readonly EngineFrame Ping = Control(EnginePacketType.Ping);
    public static readonly EngineFrame Pong = Control(EnginePacketType.Pong);
    public static readonly EngineFrame Close = Control(EnginePacketType.Close);
    public static readonly EngineFrame Noop = Control(EnginePacketType.Noop);
    public static readonly EngineFrame PongProbe = Text(EnginePacketType.Pong, "probe");

    public static EngineFrame Text(EnginePacketType type, string body)
    {
        var bytes = new byte[1 + Encoding.UTF8.GetByteCount(body)];
        bytes[0] = TypeChar(type);
        Encoding.UTF8.GetBytes(body, bytes.AsSpan(1));
        return new EngineFrame(bytes, isBinary: false);
    }

    public static EngineFrame Binary(ReadOnlyMemory<byte> data) => new(data, isBinary: true);

    /// <summary>A text message: the <c>4</c> type character, then <paramref name="utf8"/>.</summary>
    public static EngineFrame Message(ReadOnlySpan<byte> utf8)
    {
        var bytes = new byte[1 + utf8.Length];
        bytes[0] = TypeChar(EnginePacketType.Message);
        utf8.CopyTo(bytes.AsSpan(1));
        return new EngineFrame(bytes, isBinary: false);
    }

    public static byte TypeChar(EnginePacketType type) => (byte)('0' + (byte)type);

    private static EngineFrame Control(EnginePacketType type) => new(new[] { TypeChar(type) }, isBinary: false);
}
