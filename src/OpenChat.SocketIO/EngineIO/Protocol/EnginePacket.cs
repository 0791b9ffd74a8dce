namespace OpenChat.SocketIO.EngineIO;

/// <summary>
/// A decoded Engine.IO packet. <see cref="Data"/> is the UTF-8 body after the type character for text
/// packets, or the raw bytes of a binary message.
/// </summary>
public readonly record struct EnginePacket(EnginePacketType Type, ReadOnlyMemory<byte> Data, bool IsBinary)
{
    internal static readonly byte[] ProbeBytes = "probe"u8.ToArray();

    internal bool IsProbe => !IsBinary && Data.Span.SequenceEqual(ProbeBytes);
}
