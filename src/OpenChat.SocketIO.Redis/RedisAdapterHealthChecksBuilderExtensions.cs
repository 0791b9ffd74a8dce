using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenChat.SocketIO.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Redis adapter's connection to ASP.NET Core health checks.</summary>
public static class RedisAdapterHealthChecksBuilderExtensions
{
    /// <summary>
    /// A check that is healthy while the Redis adapter (<c>AddRedisAdapter</c>) is connected to Redis, for a
    /// readiness endpoint: a server cut off from Redis serves its own clients but not the cluster.
    /// </summary>
    public static IHealthChecksBuilder AddRedisAdapterCheck(this IHealthChecksBuilder builder, string name = "redis", IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddCheck<RedisHealthCheck>(name, HealthStatus.Unhealthy, tags ?? []);
    }
}
