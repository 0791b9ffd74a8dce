using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenChat.Storage;

namespace OpenChat.Operations;

/// <summary>Readiness of the message store: one lookup that goes to the database (SQLite or PostgreSQL), bounded in time.</summary>
internal sealed class ChatStoreHealthCheck(IChatStore store) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(Timeout);
        try
        {
            await store.FindChannelAsync("general", limit.Token);
            return HealthCheckResult.Healthy();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"the store did not answer within {Timeout.TotalSeconds:0} s");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("the store failed: " + ex.Message);
        }
    }
}
