namespace OpenChat.SocketIO.Protocol;

/// <summary>The limits a decoder enforces, from the server's options.</summary>
/// <param name="MaxAttachments">Most binary attachments one packet may have (<see cref="SocketIOOptions.MaxAttachments"/>).</param>
/// <param name="MaxPacketBytes">
/// Most bytes one packet may take over all its messages, attachments included
/// (<see cref="EngineIO.EngineIOOptions.MaxHttpBufferSize"/>); a packet in one message is already bounded by the transport.
/// </param>
public sealed record SocketIODecoderLimits(int MaxAttachments, long MaxPacketBytes);
