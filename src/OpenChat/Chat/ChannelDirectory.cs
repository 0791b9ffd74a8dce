using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using OpenChat.SocketIO;
using OpenChat.Storage;
using OpenChat.Storage.Schema;

namespace OpenChat.Chat;

/// <summary>
/// The chat's channels. The store is the truth (so instances sharing a PostgreSQL database share channels);
/// this instance remembers every channel it has seen, so the message path finds a joined channel without a
/// query. New channels are announced to every rich client with <c>channel_created</c>.
/// </summary>
public sealed class ChannelDirectory(IChatStore store, SocketIOServer io, IOptions<ChatOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, ChannelRecord> _known = new(StringComparer.Ordinal);
    private ChannelRecord? _general;

    /// <summary>#general, where every client is and the only channel original clients know.</summary>
    public ChannelRecord General => _general ?? throw new InvalidOperationException("The channels are not loaded yet.");

    /// <summary>Loads the channels from the store; the app does this once it is initialized.</summary>
    public async Task LoadAsync(CancellationToken cancellationToken)
    {
        foreach (var channel in await ListAsync(cancellationToken))
        {
            if (channel.Key == HistorySchema.GeneralChannel)
            {
                _general = channel;
            }
        }

        if (_general is null)
        {
            throw new ChatStoreException(ChatStoreFailure.Incompatible, $"The {store.Description} has no #general channel.");
        }
    }

    /// <summary>Every channel, in creation order, from the store.</summary>
    public async Task<IReadOnlyList<ChannelRecord>> ListAsync(CancellationToken cancellationToken)
    {
        var channels = await store.ListChannelsAsync(cancellationToken);
        foreach (var channel in channels)
        {
            _known[channel.Key] = channel;
        }

        return channels;
    }

    /// <summary>A channel this instance already knows (every channel one of its sockets joined), by name.</summary>
    public ChannelRecord? FindKnown(string name) => _known.GetValueOrDefault(ChannelKey.Of(name));

    /// <summary>The channel with this name, asking the store when this instance has not seen it.</summary>
    public async ValueTask<ChannelRecord?> FindAsync(string name, CancellationToken cancellationToken)
    {
        var key = ChannelKey.Of(name);
        if (_known.TryGetValue(key, out var known))
        {
            return known;
        }

        var stored = await store.FindChannelAsync(key, cancellationToken);
        if (stored is not null)
        {
            _known[key] = stored;
        }

        return stored;
    }

    /// <summary>Creates the channel (the name is already normalized) and tells every rich client.</summary>
    public async Task<ChannelCreation> CreateAsync(string name, CancellationToken cancellationToken)
    {
        var creation = await store.CreateChannelAsync(name, time.GetUtcNow().ToUnixTimeMilliseconds(), options.Value.MaxChannels, cancellationToken);
        if (creation is { Status: ChannelCreationStatus.Created, Channel: { } created })
        {
            _known[created.Key] = created;
            io.To(ChatEvents.RichRoom).Emit(ChatEvents.ChannelCreated, ChannelInfo.From(created));
        }

        return creation;
    }
}
