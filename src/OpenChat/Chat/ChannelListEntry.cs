namespace OpenChat.Chat;

/// <summary>One channel in the answer to <c>channels</c>: whether the asking client is in it.</summary>
public sealed record ChannelListEntry(string Name, long CreatedAt, bool Joined);
