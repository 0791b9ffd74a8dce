namespace OpenChat.Storage;

/// <summary>A message as the store keeps it; <see cref="AccountId"/> is the signed-in sender's account, if any.</summary>
public sealed record StoredChatMessage(long Id, long ChannelId, string Username, string Text, long SentAt, long? AccountId = null);
