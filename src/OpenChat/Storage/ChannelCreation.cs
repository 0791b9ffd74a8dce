namespace OpenChat.Storage;

/// <summary>The outcome of <see cref="IChatStore.CreateChannelAsync"/>: the new or existing channel, or none when the limit was reached.</summary>
public sealed record ChannelCreation(ChannelCreationStatus Status, ChannelRecord? Channel);

/// <summary>Whether a channel was created.</summary>
public enum ChannelCreationStatus
{
    Created,
    AlreadyExists,
    LimitReached,
}
