namespace OpenChat.SocketIO.EngineIO;

/// <summary>
/// One Engine.IO message as what runs above Engine.IO sends and receives it: UTF-8 text (without Engine.IO's
/// type character) or binary data. The transport frames it for polling or WebSocket.
/// </summary>
/// <param name="Data">The text's UTF-8 bytes, or the binary data.</param>
/// <param name="IsBinary">Whether it is binary.</param>
public readonly record struct EngineMessage(ReadOnlyMemory<byte> Data, bool IsBinary)
{
    /// <summary>A text message.</summary>
    public static EngineMessage Text(ReadOnlyMemory<byte> utf8) => new(utf8, IsBinary: false);

    /// <summary>A binary message.</summary>
    public static EngineMessage Binary(ReadOnlyMemory<byte> data) => new(data, IsBinary: true);
}
