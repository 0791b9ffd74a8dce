using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace OpenChat.Hosting;

/// <summary>
/// The app behind a reverse proxy: forwarded headers applied by ASP.NET Core's middleware from trusted peers
/// only (see <see cref="ForwardedHeadersSetup"/>), before anything reads the scheme or the client's address.
/// Host filtering (<c>AllowedHosts</c>) is the framework's and already runs first.
/// </summary>
public static partial class ProxyHeaders
{
    // The configuration key behind ASPNETCORE_FORWARDEDHEADERS_ENABLED; when it is true the framework adds
    // the middleware itself, at the very start of the pipeline.
    private const string FrameworkSwitch = "ForwardedHeaders_Enabled";

    /// <summary>Configures the forwarded-headers middleware from the <c>ForwardedHeaders</c> section, checked at start.</summary>
    public static WebApplicationBuilder AddProxyHeaders(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IConfigureOptions<ForwardedHeadersOptions>, ForwardedHeadersSetup>();
        builder.Services.AddOptions<ForwardedHeadersOptions>().ValidateOnStart();
        return builder;
    }

    /// <summary>Puts the forwarded-headers middleware in the pipeline, unless the framework already put it first.</summary>
    public static WebApplication UseProxyHeaders(this WebApplication app)
    {
        if (!string.Equals(app.Configuration[FrameworkSwitch], "true", StringComparison.OrdinalIgnoreCase))
        {
            app.UseForwardedHeaders();
        }
        else if (!ForwardedHeadersSetup.ListsProxies(app.Configuration))
        {
            LogLoopbackOnly(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("OpenChat"));
        }

        return app;
    }

    [LoggerMessage(2, LogLevel.Warning,
        "ASPNETCORE_FORWARDEDHEADERS_ENABLED is set, but forwarded headers are trusted from loopback only: ASP.NET Core alone would trust every peer, " +
        "OpenChat trusts only ForwardedHeaders:KnownProxies and ForwardedHeaders:KnownNetworks. List your proxy's address or network there " +
        "(0.0.0.0/0 and ::/0 trust every peer: only when nothing but the proxy can reach the app).",
        EventName = "ForwardedHeadersLoopbackOnly")]
    private static partial void LogLoopbackOnly(ILogger logger);
}
