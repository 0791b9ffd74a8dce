using OpenChat.SocketIO;
using OpenTelemetry.Metrics;

namespace OpenChat.Operations;

/// <summary>
/// <c>Metrics:Prometheus=true</c>: <c>/metrics</c> in the Prometheus text format, through OpenTelemetry's ASP.NET
/// Core exporter, with the Socket.IO server's meter, ASP.NET Core's (requests, Kestrel connections) and the
/// .NET runtime's (GC, thread pool, memory). Off by default: the endpoint has no login of its own, so expose it
/// only where the scraper reaches it (<c>Metrics:Path</c> moves it).
/// </summary>
public static class MetricsEndpoint
{
    public const string SectionName = "Metrics";

    public static bool AddChatMetrics(this WebApplicationBuilder builder)
    {
        if (!builder.Configuration.GetSection(SectionName).GetValue<bool>("Prometheus"))
        {
            return false;
        }

        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(SocketIOMetrics.MeterName)
            .AddMeter("Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Http.Connections", "Microsoft.AspNetCore.Diagnostics")
            .AddRuntimeInstrumentation()
            .AddPrometheusExporter());
        return true;
    }

    public static WebApplication MapChatMetrics(this WebApplication app)
    {
        var path = app.Configuration.GetSection(SectionName)["Path"] is { Length: > 0 } configured ? configured : "/metrics";
        app.MapPrometheusScrapingEndpoint(path);
        return app;
    }
}
