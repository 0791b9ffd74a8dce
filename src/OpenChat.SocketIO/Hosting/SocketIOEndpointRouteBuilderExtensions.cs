using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenChat.SocketIO;
using OpenChat.SocketIO.EngineIO;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps Socket.IO and raw Engine.IO endpoints.</summary>
public static class SocketIOEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Serves the Socket.IO server registered by <c>AddSocketIO</c> at <paramref name="path"/> (default
    /// <c>/socket.io</c>, as the official clients expect), over polling and WebSocket.
    /// </summary>
    /// <param name="endpoints">The route builder.</param>
    /// <param name="path">The endpoint path.</param>
    /// <param name="configure">Registers namespaces, middleware and handlers on the server.</param>
    public static IEndpointConventionBuilder MapSocketIO(this IEndpointRouteBuilder endpoints, string path = "/socket.io", Action<SocketIOServer>? configure = null)
    {
        var server = endpoints.ServiceProvider.GetService<SocketIOServer>()
            ?? throw new InvalidOperationException("Call services.AddSocketIO() before app.MapSocketIO().");
        configure?.Invoke(server);
        return MapEngine(endpoints, path, server.Engine, "Socket.IO");
    }

    /// <summary>
    /// Serves raw Engine.IO v4 sessions at <paramref name="path"/>, each handled by <paramref name="handler"/>,
    /// with the options registered for that path by <c>services.AddEngineIO(path, ...)</c>.
    /// </summary>
    public static IEndpointConventionBuilder MapEngineIO(this IEndpointRouteBuilder endpoints, string path, IEngineIOHandler handler)
    {
        var services = endpoints.ServiceProvider;
        var name = SocketIOServiceCollectionExtensions.EngineEndpointName(path);
        var monitor = services.GetService<IOptionsMonitor<EngineIOOptions>>();
        if (monitor is null || services.GetService<IValidateOptions<EngineIOOptions>>() is null)
        {
            throw new InvalidOperationException($"Call services.AddEngineIO(\"{name}\") before app.MapEngineIO(\"{name}\", ...).");
        }

        var engine = new EngineIOServer(
            monitor.Get(name),
            handler,
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILoggerFactory>().CreateLogger("OpenChat.SocketIO.EngineIO"),
            metrics: services.GetService<SocketIOMetrics>());
        services.GetService<IHostApplicationLifetime>()?.ApplicationStopping.Register(() => _ = engine.CloseAllAsync(DisconnectReasons.ServerShuttingDown));
        return MapEngine(endpoints, path, engine, "Engine.IO");
    }

    private static IEndpointConventionBuilder MapEngine(IEndpointRouteBuilder endpoints, string path, EngineIOServer engine, string name)
    {
        // WebSocket support belongs to this endpoint's own small pipeline, as SignalR does for its hubs; the
        // upgraded stream gets read receipts (see ReadReceiptStream) before the WebSocket is built on it.
        var pipeline = endpoints.CreateApplicationBuilder();
        pipeline.Use((context, next) =>
        {
            ReadReceiptUpgradeFeature.Install(context, engine.Time);
            return next(context);
        });
        pipeline.UseWebSockets();
        pipeline.Run(engine.HandleAsync);
        var pattern = "/" + path.Trim('/') + "/";
        return endpoints.Map(pattern, pipeline.Build()).WithDisplayName($"{name} {pattern}");
    }
}
