namespace OpenChat.SocketIO.Protocol;

/// <summary>The limits a decoder enforces, from the server's options.</summary>
/// <param name="MaxAttachments">Most binary attachments one packet may have (<see cref="SocketIOOptions.MaxAttachments"/>).</param>
public sealed record SocketIODecoderLimits(int MaxAttachments);
