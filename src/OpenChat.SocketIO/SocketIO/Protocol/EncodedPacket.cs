using OpenChat.SocketIO.EngineIO;

namespace OpenChat.SocketIO.Protocol;

/// <summary>
/// A Socket.IO packet encoded once, ready for any number of recipients: the text frame followed by its
/// binary attachments. Adapters pass it around; only the library reads it.
/// </summary>
public sealed class EncodedPacket
{
    internal EncodedPacket(EngineFrame[] frames) => Frames = frames;

    internal EngineFrame[] Frames { get; }

    /// <summary>Asks the transport to let the client read this packet before anything sent after it.</summary>
    internal EncodedPacket ReadBeforeNext()
    {
        Frames[^1] = Frames[^1] with { ReadBeforeNext = true };
        return this;
    }

    /// <summary>Total bytes on the wire, attachments included.</summary>
    public int Length => Frames.Sum(f => f.Bytes.Length);
}
