using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenChat.SocketIO;
using OpenChat.SocketIO.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Redis adapter to the Socket.IO server.</summary>
public static class RedisAdapterSocketIOBuilderExtensions
{
    /// <summary>
    /// Makes every namespace of the server share its rooms and broadcasts with the other servers on the same
    /// Redis, speaking the protocol of Node's @socket.io/redis-adapter 8.x. <paramref name="configuration"/>
    /// is a StackExchange.Redis configuration string such as <c>127.0.0.1:6379</c>.
    /// </summary>
    public static ISocketIOBuilder AddRedisAdapter(this ISocketIOBuilder builder, string configuration, Action<RedisAdapterOptions>? configure = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        return builder.AddRedisAdapter(options =>
        {
            options.Configuration = configuration;
            configure?.Invoke(options);
        });
    }

    /// <summary>Adds the Redis adapter with options set in code (<see cref="RedisAdapterOptions.Configuration"/> is required).</summary>
    public static ISocketIOBuilder AddRedisAdapter(this ISocketIOBuilder builder, Action<RedisAdapterOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        var services = builder.Services;
        services.AddOptions<RedisAdapterOptions>()
            .Configure(configure)
            .Validate(o => !string.IsNullOrWhiteSpace(o.Configuration), "RedisAdapterOptions.Configuration (a StackExchange.Redis configuration string) is required.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.Key), "RedisAdapterOptions.Key cannot be empty.")
            .Validate(o => !o.Validate().Any(), "RedisAdapterOptions: HeartbeatInterval, HeartbeatTimeout and RequestsTimeout must be positive, and HeartbeatTimeout longer than HeartbeatInterval.")
            .ValidateOnStart();
        services.TryAddSingleton<RedisConnection>();
        services.AddOptions<SocketIOOptions>().Configure<RedisConnection, IOptions<RedisAdapterOptions>>(static (options, connection, redis) =>
            options.AdapterFactory = ns => new RedisAdapter(ns, connection, redis.Value));
        return builder;
    }
}
