using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenChat.SocketIO.EngineIO;
using OpenChat.SocketIO.SocketIO;

namespace OpenChat.SocketIO.Hosting;

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
        var server = endpoints.ServiceProvider.GetRequiredService<SocketIOServer>();
        configure?.Invoke(server);
        return MapEngine(endpoints, path, server.Engine.HandleAsync, "Socket.IO");
    }

    /// <summary>
    /// Serves raw Engine.IO v4 sessions at <paramref name="path"/>, each handled by <paramref name="handler"/>.
    /// Options are this endpoint's own; they are validated here.
    /// </summary>
    public static IEndpointConventionBuilder MapEngineIO(this IEndpointRouteBuilder endpoints, string path, IEngineIOHandler handler, Action<EngineIOOptions>? configure = null)
    {
        var options = new EngineIOOptions();
        configure?.Invoke(options);
        var failures = EngineIOOptionsValidator.Check(options).ToList();
        if (failures.Count > 0)
        {
            throw new Microsoft.Extensions.Options.OptionsValidationException(nameof(EngineIOOptions), typeof(EngineIOOptions), failures);
        }

        var services = endpoints.ServiceProvider;
        var engine = new EngineRequestHandler(
            options,
            handler,
            services.GetService<TimeProvider>() ?? TimeProvider.System,
            services.GetRequiredService<ILoggerFactory>().CreateLogger("OpenChat.SocketIO.EngineIO"));
        services.GetService<IHostApplicationLifetime>()?.ApplicationStopping.Register(() => _ = engine.CloseAllAsync(EngineCloseReasons.ServerShuttingDown));
        return MapEngine(endpoints, path, engine.HandleAsync, "Engine.IO");
    }

    private static IEndpointConventionBuilder MapEngine(IEndpointRouteBuilder endpoints, string path, Microsoft.AspNetCore.Http.RequestDelegate handler, string name)
    {
        // WebSocket support belongs to this endpoint's own small pipeline, as SignalR does for its hubs.
        var pipeline = endpoints.CreateApplicationBuilder();
        pipeline.UseWebSockets();
        pipeline.Run(handler);
        var pattern = "/" + path.Trim('/') + "/";
        return endpoints.Map(pattern, pipeline.Build()).WithDisplayName($"{name} {pattern}");
    }
}
