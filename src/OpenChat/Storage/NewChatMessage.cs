namespace OpenChat.Storage;

/// <summary>
/// A message about to be written: its channel's store id, the sender's name, the text, when it was accepted
/// (Unix ms), and the sender's account when signed in.
/// </summary>
public sealed record NewChatMessage(long ChannelId, string Username, string Text, long SentAt, long? AccountId = null);
