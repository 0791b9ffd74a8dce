using StackExchange.Redis;

namespace OpenChat.SocketIO.Redis.Tests.Infrastructure;

/// <summary>Records every message published on the <c>socket.io*</c> channels, raw, as a third party on the same Redis.</summary>
public sealed class RedisTap : IAsyncDisposable
{
    private readonly ConnectionMultiplexer _multiplexer;
    private readonly List<(string Channel, byte[] Payload)> _messages = new();

    private RedisTap(ConnectionMultiplexer multiplexer) => _multiplexer = multiplexer;

    public IReadOnlyList<(string Channel, byte[] Payload)> Messages
    {
        get
        {
            lock (_messages)
            {
                return [.. _messages];
            }
        }
    }

    public static async Task<RedisTap> StartAsync(RedisServer redis)
    {
        var tap = new RedisTap(await ConnectionMultiplexer.ConnectAsync(redis.Configuration));
        var queue = await tap._multiplexer.GetSubscriber().SubscribeAsync(RedisChannel.Pattern("socket.io*"));
        queue.OnMessage(m =>
        {
            lock (tap._messages)
            {
                tap._messages.Add((m.Channel.ToString(), (byte[])m.Message!));
            }
        });
        return tap;
    }

    /// <summary>Waits for the next message on <paramref name="channel"/> that matches, counting from message <paramref name="from"/>.</summary>
    public async Task<byte[]> NextAsync(string channel, int from, Func<byte[], bool>? match = null)
    {
        byte[]? found = null;
        await Eventually.TrueAsync(
            () => (found = Messages.Skip(from).Where(m => m.Channel == channel && (match is null || match(m.Payload))).Select(m => m.Payload).FirstOrDefault()) is not null,
            $"a message on {channel}");
        return found!;
    }

    public async ValueTask DisposeAsync() => await _multiplexer.DisposeAsync();
}
