using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenChat.SocketIO.SocketIO;

namespace OpenChat.SocketIO.Hosting;

/// <summary>Registers the Socket.IO server.</summary>
public static class SocketIOServiceCollectionExtensions
{
    /// <summary>
    /// Adds the <see cref="SocketIOServer"/> singleton with its options (validated when the host starts) and
    /// closes every connection gracefully when the host stops. Serve it with <c>app.MapSocketIO()</c>.
    /// </summary>
    public static IServiceCollection AddSocketIO(this IServiceCollection services, Action<SocketIOOptions>? configure = null)
    {
        var options = services.AddOptions<SocketIOOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SocketIOOptions>, EngineIOOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<SocketIOServer>();
        services.AddHostedService<SocketIOShutdownService>();
        return services;
    }
}
