using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace OpenChat.Operations;

/// <summary>
/// <c>/healthz</c>: liveness, the process answers (no dependency is checked, so a database outage does not get
/// every instance restarted). <c>/readyz</c>: readiness, the store answers, Redis is connected when configured,
/// and the server is not stopping. Both answer GET and HEAD, 200 or 503 with <c>Healthy</c>/<c>Unhealthy</c>.
/// </summary>
public static class HealthEndpoints
{
    private const string Ready = "ready";

    public static IServiceCollection AddChatHealthChecks(this IServiceCollection services, bool redis)
    {
        var checks = services.AddHealthChecks()
            .AddCheck<ChatStoreHealthCheck>("store", tags: [Ready])
            .AddCheck<SocketIOHealthCheck>("socketio", tags: [Ready]);
        if (redis)
        {
            checks.AddRedisAdapterCheck("redis", tags: [Ready]);
        }

        return services;
    }

    public static WebApplication MapHealthEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync })
            .WithMetadata(new HttpMethodMetadata(["GET", "HEAD"]));
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = check => check.Tags.Contains(Ready), ResponseWriter = WriteAsync })
            .WithMetadata(new HttpMethodMetadata(["GET", "HEAD"]));
        return app;
    }

    // The status, and for each failing check its name and why: enough for an operator, nothing secret.
    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        var lines = new List<string> { report.Status.ToString() };
        foreach (var (name, entry) in report.Entries)
        {
            if (entry.Status != HealthStatus.Healthy)
            {
                lines.Add($"{name}: {entry.Status} ({entry.Description})");
            }
        }

        // A known length, so HEAD answers with the same headers as GET.
        var body = System.Text.Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n");
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body).AsTask();
    }
}
