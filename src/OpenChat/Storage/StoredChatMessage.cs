namespace OpenChat.Storage;

/// <summary>A message as the store keeps it.</summary>
public sealed record StoredChatMessage(long Id, long ChannelId, string Username, string Text, long SentAt);
