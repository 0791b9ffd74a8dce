using OpenChat.SocketIO.Redis;

namespace OpenChat.Cluster;

/// <summary>
/// Several instances as one chat: when <c>Redis:Configuration</c> is set (env <c>Redis__Configuration</c>, a
/// StackExchange.Redis configuration string), every instance on that Redis shares its users and messages
/// through the Redis adapter. Unset, nothing changes and no Redis is needed.
/// </summary>
public static class ClusterRegistration
{
    /// <summary>The configuration section: <c>Configuration</c>, and optionally <c>Key</c>, <c>HeartbeatInterval</c>, <c>HeartbeatTimeout</c>, <c>RequestsTimeout</c>.</summary>
    public const string SectionName = "Redis";

    /// <summary>Adds the Redis adapter when <c>Redis:Configuration</c> is set; returns whether it did.</summary>
    public static bool AddChatCluster(this ISocketIOBuilder socketIO, IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        var redis = section["Configuration"];
        if (string.IsNullOrWhiteSpace(redis))
        {
            return false;
        }

        socketIO.AddRedisAdapter(redis, options => section.Bind(options));
        return true;
    }
}
