using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OpenChat.SocketIO.Redis;

/// <summary>Healthy while the adapter's Redis connection is up; unhealthy, naming the server, while it is lost.</summary>
internal sealed class RedisHealthCheck(RedisConnection connection) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(connection.IsConnected
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy($"Redis {connection.Description} is not connected: broadcasts do not reach the other servers"));
}
