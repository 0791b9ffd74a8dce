using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenChat.SocketIO;
using OpenChat.SocketIO.Hosting;

namespace Microsoft.AspNetCore.Hosting;

/// <summary>Adds the connection ceiling to Kestrel.</summary>
public static class ConnectionCeilingWebHostBuilderExtensions
{
    /// <summary>The configuration section the ceiling's options are bound from: <c>ConnectionCeiling</c> (e.g. <c>ConnectionCeiling__MaxConnections</c>).</summary>
    public const string SectionName = "ConnectionCeiling";

    /// <summary>
    /// Makes Kestrel hold at most <see cref="ConnectionCeilingOptions.MaxConnections"/> TCP connections on its
    /// IP endpoints (by default the open-file limit minus a reserve), closing new ones as they arrive beyond
    /// it, and pause accepting instead of spinning when descriptors run out anyway. Options come from the
    /// <c>ConnectionCeiling</c> section, then <paramref name="configure"/>.
    /// </summary>
    public static IWebHostBuilder UseConnectionCeiling(this IWebHostBuilder builder, Action<ConnectionCeilingOptions>? configure = null) =>
        builder.ConfigureServices((context, services) =>
        {
            var options = services.AddOptions<ConnectionCeilingOptions>().Bind(context.Configuration.GetSection(SectionName));
            if (configure is not null)
            {
                options.Configure(configure);
            }

            options.Validate(o => o.MaxConnections is null or > 0 && o.ReservedFileDescriptors is null or >= 0 && o.WarningInterval > TimeSpan.Zero,
                "ConnectionCeiling: MaxConnections must be positive, ReservedFileDescriptors not negative, WarningInterval positive.").ValidateOnStart();
            services.TryAddSingleton(TimeProvider.System);
            services.TryAddSingleton<CeilingTransportFactory>();

            // Kestrel binds each endpoint with the last registered factory that can bind it.
            services.AddSingleton<IConnectionListenerFactory>(sp => sp.GetRequiredService<CeilingTransportFactory>());
        });
}
