namespace OpenChat.Storage;

/// <summary>
/// Where channels and chat messages are kept. Message ids come from the store: unique, and increasing in the
/// order messages were written, across restarts and, on a shared PostgreSQL database, across instances.
/// <see cref="AppendAsync"/> is called by one writer at a time; everything else may run concurrently.
/// </summary>
public interface IChatStore
{
    /// <summary>What the store is, for logs and error messages (a file path or a server; never a password).</summary>
    string Description { get; }

    /// <summary>Brings the schema up to date and checks the store can be written; throws <see cref="ChatStoreException"/> otherwise.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Writes the messages in one transaction and returns their ids, in the same order. Nothing is written if it throws.</summary>
    Task<IReadOnlyList<long>> AppendAsync(IReadOnlyList<NewChatMessage> messages, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="limit"/> messages of a channel with ids below <paramref name="beforeId"/> (all when null), oldest first.</summary>
    Task<IReadOnlyList<StoredChatMessage>> ReadAsync(long channelId, long? beforeId, int limit, CancellationToken cancellationToken);

    /// <summary>Every channel, in the order they were created.</summary>
    Task<IReadOnlyList<ChannelRecord>> ListChannelsAsync(CancellationToken cancellationToken);

    /// <summary>The channel whose <see cref="ChannelRecord.Key"/> is <paramref name="key"/>, or null.</summary>
    Task<ChannelRecord?> FindChannelAsync(string key, CancellationToken cancellationToken);

    /// <summary>Creates a channel unless one with the same key exists or there are already <paramref name="maxChannels"/>.</summary>
    Task<ChannelCreation> CreateChannelAsync(string name, long createdAt, int maxChannels, CancellationToken cancellationToken);

    /// <summary>Deletes messages sent before <paramref name="sentAt"/> (Unix ms); returns how many.</summary>
    Task<long> DeleteMessagesSentBeforeAsync(long sentAt, CancellationToken cancellationToken);
}
