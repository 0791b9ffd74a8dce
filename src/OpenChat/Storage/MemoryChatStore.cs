using OpenChat.Storage.Schema;

namespace OpenChat.Storage;

/// <summary>
/// The store when <see cref="StorageOptions.Enabled"/> is false: channels and the last
/// <see cref="StorageOptions.MemoryMessagesPerChannel"/> messages of each live in memory and are gone when
/// the app stops. Ids start from the clock (Unix ms × 1000) so that after a restart they still exceed the
/// ids a page kept from before, unless more than a thousand messages a millisecond were sent on average.
/// </summary>
internal sealed class MemoryChatStore : IChatStore
{
    private readonly Lock _sync = new();
    private readonly List<ChannelRecord> _channels = new();
    private readonly Dictionary<long, Queue<StoredChatMessage>> _messages = new();
    private readonly int _perChannel;
    private long _lastId;

    public MemoryChatStore(StorageOptions options, TimeProvider time)
    {
        _perChannel = options.MemoryMessagesPerChannel;
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        _lastId = now * 1000;
        _channels.Add(new ChannelRecord(1, HistorySchema.GeneralChannel, now));
    }

    public string Description => "memory (Storage:Enabled=false: nothing is kept after a restart)";

    public Task InitializeAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<IReadOnlyList<long>> AppendAsync(IReadOnlyList<NewChatMessage> messages, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<long>>(messages.Select(Append).ToArray());

    /// <summary>Keeps one message and returns its id; synchronous, for <see cref="ImmediateMessageWriter"/>.</summary>
    public long Append(NewChatMessage message)
    {
        lock (_sync)
        {
            var id = ++_lastId;
            if (!_messages.TryGetValue(message.ChannelId, out var kept))
            {
                _messages[message.ChannelId] = kept = new Queue<StoredChatMessage>();
            }

            kept.Enqueue(new StoredChatMessage(id, message.ChannelId, message.Username, message.Text, message.SentAt, message.AccountId));
            while (kept.Count > _perChannel)
            {
                kept.Dequeue();
            }

            return id;
        }
    }

    public Task<IReadOnlyList<StoredChatMessage>> ReadAsync(long channelId, long? beforeId, int limit, CancellationToken cancellationToken)
    {
        lock (_sync)
        {
            IReadOnlyList<StoredChatMessage> page = _messages.TryGetValue(channelId, out var kept)
                ? kept.Where(m => beforeId is null || m.Id < beforeId).TakeLast(limit).ToArray()
                : [];
            return Task.FromResult(page);
        }
    }

    public Task<IReadOnlyList<ChannelRecord>> ListChannelsAsync(CancellationToken cancellationToken)
    {
        lock (_sync)
        {
            return Task.FromResult<IReadOnlyList<ChannelRecord>>(_channels.ToArray());
        }
    }

    public Task<ChannelRecord?> FindChannelAsync(string key, CancellationToken cancellationToken)
    {
        lock (_sync)
        {
            return Task.FromResult(_channels.FirstOrDefault(c => c.Key == key));
        }
    }

    public Task<ChannelCreation> CreateChannelAsync(string name, long createdAt, int maxChannels, CancellationToken cancellationToken)
    {
        var key = ChannelKey.Of(name);
        lock (_sync)
        {
            if (_channels.FirstOrDefault(c => c.Key == key) is { } existing)
            {
                return Task.FromResult(new ChannelCreation(ChannelCreationStatus.AlreadyExists, existing));
            }

            if (_channels.Count >= maxChannels)
            {
                return Task.FromResult(new ChannelCreation(ChannelCreationStatus.LimitReached, null));
            }

            var created = new ChannelRecord(_channels[^1].Id + 1, name, createdAt);
            _channels.Add(created);
            return Task.FromResult(new ChannelCreation(ChannelCreationStatus.Created, created));
        }
    }

    public Task<long> DeleteMessagesSentBeforeAsync(long sentAt, CancellationToken cancellationToken)
    {
        long deleted = 0;
        lock (_sync)
        {
            foreach (var kept in _messages.Values)
            {
                while (kept.TryPeek(out var oldest) && oldest.SentAt < sentAt)
                {
                    kept.Dequeue();
                    deleted++;
                }
            }
        }

        return Task.FromResult(deleted);
    }
}
