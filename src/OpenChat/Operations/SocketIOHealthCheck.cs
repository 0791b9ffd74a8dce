using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenChat.SocketIO;

namespace OpenChat.Operations;

/// <summary>Readiness of the chat endpoint: not ready once stopping, so a load balancer sends new clients elsewhere.</summary>
internal sealed class SocketIOHealthCheck(SocketIOServer server) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(server.IsStopping
            ? HealthCheckResult.Unhealthy("stopping: new connections are refused")
            : HealthCheckResult.Healthy($"{server.ConnectionCount} connections"));
}
