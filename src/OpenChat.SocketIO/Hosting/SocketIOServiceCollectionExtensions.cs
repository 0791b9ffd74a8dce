using Microsoft.AspNetCore.HostFiltering;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenChat.SocketIO;
using OpenChat.SocketIO.EngineIO;
using OpenChat.SocketIO.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Socket.IO server and raw Engine.IO endpoints.</summary>
public static class SocketIOServiceCollectionExtensions
{
    /// <summary>The configuration section <see cref="AddSocketIO"/> binds: <c>SocketIO</c> (e.g. <c>SocketIO__PingInterval</c>).</summary>
    public const string SocketIOSectionName = "SocketIO";

    /// <summary>The configuration section <see cref="AddEngineIO"/> binds: <c>EngineIO</c>.</summary>
    public const string EngineIOSectionName = "EngineIO";

    /// <summary>
    /// Adds the <see cref="SocketIOServer"/> singleton. Its <see cref="SocketIOOptions"/> are bound from the
    /// <c>SocketIO</c> configuration section, then <paramref name="configure"/> runs (so code wins over
    /// configuration), and they are validated when the host starts. Every connection is closed gracefully
    /// when the host stops. Serve it with <c>app.MapSocketIO()</c>.
    /// </summary>
    public static ISocketIOBuilder AddSocketIO(this IServiceCollection services, Action<SocketIOOptions>? configure = null)
    {
        var options = services.AddOptions<SocketIOOptions>().Configure<IServiceProvider>(static (o, sp) => BindSection(sp, SocketIOSectionName, o));
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.PostConfigure<IServiceProvider>(static (o, sp) => AddHostSettings(sp, SocketIOSectionName, o));

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SocketIOOptions>, SocketIOOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        AddMetrics(services);
        services.TryAddSingleton<SocketIOServer>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, SocketIOShutdownService>());
        return new SocketIOBuilder(services);
    }

    /// <summary>
    /// Adds the options of a raw Engine.IO endpoint served by <c>app.MapEngineIO(path, handler)</c>. They are
    /// named by the endpoint's path, bound from the <c>EngineIO</c> configuration section, then
    /// <paramref name="configure"/> runs, and they are validated when the host starts.
    /// </summary>
    public static IServiceCollection AddEngineIO(this IServiceCollection services, string path, Action<EngineIOOptions>? configure = null)
    {
        var options = services.AddOptions<EngineIOOptions>(EngineEndpointName(path))
            .Configure<IServiceProvider>(static (o, sp) => BindSection(sp, EngineIOSectionName, o));
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.PostConfigure<IServiceProvider>(static (o, sp) => AddHostSettings(sp, EngineIOSectionName, o));

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EngineIOOptions>, EngineIOOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        AddMetrics(services);
        return services;
    }

    /// <summary>The options name of the Engine.IO endpoint at <paramref name="path"/>.</summary>
    internal static string EngineEndpointName(string path) => "/" + path.Trim('/');

    // The same-origin rule trusts host names the host's own filtering vouches for (AllowedHosts), and messages
    // name the settings by the section the options come from.
    private static void AddHostSettings(IServiceProvider services, string section, EngineIOOptions options)
    {
        options.SectionName = section;
        options.AllowedHosts = services.GetService<IOptions<HostFilteringOptions>>()?.Value.AllowedHosts.ToArray() ?? [];
    }

    // The server's meter comes from the host's meter factory, so it is scoped to this service provider.
    private static void AddMetrics(IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton(static sp => new SocketIOMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
    }

    private static void BindSection(IServiceProvider services, string section, object options) =>
        services.GetService<IConfiguration>()?.GetSection(section).Bind(options);
}
