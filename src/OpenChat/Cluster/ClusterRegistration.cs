using OpenChat.SocketIO.Redis;

namespace OpenChat.Cluster;

/// <summary>
/// Several instances as one chat: when <c>Redis:Configuration</c> is set (env <c>Redis__Configuration</c>, a
/// StackExchange.Redis configuration string), every instance on that Redis shares its users and messages
/// through the Redis adapter. Unset, nothing changes and no Redis is needed.
/// </summary>
public static partial class ClusterRegistration
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

    /// <summary>
    /// Warns at start when instances would number their messages alike: message ids come from the store, and a
    /// page shows each id once, so a cluster needs one shared store; without storage each instance counts alone.
    /// </summary>
    public static void WarnWhenInstancesCannotShareIds(this WebApplication app)
    {
        var configuration = app.Configuration;
        if (string.IsNullOrWhiteSpace(configuration[SectionName + ":Configuration"])
            || !bool.TryParse(configuration["Storage:Enabled"], out var stored) || stored)
        {
            return;
        }

        LogNothingShared(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("OpenChat"));
    }

    [LoggerMessage(2, LogLevel.Warning, "Redis:Configuration is set but Storage:Enabled is false: each instance numbers its messages on its own, so a page can take two messages of different instances for one. Keep storage on, with one database every instance shares (ConnectionStrings:Chat, or the same SQLite file on one host).", EventName = "ClusterWithoutSharedStore")]
    private static partial void LogNothingShared(ILogger logger);
}
