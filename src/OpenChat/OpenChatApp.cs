using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using OpenChat.Accounts;
using OpenChat.Chat;
using OpenChat.Cluster;
using OpenChat.Hosting;
using OpenChat.Operations;
using OpenChat.Pages;
using OpenChat.SocketIO;

namespace OpenChat;

/// <summary>The composition root: configuration, services, endpoints.</summary>
public static partial class OpenChatApp
{
    public const int DefaultPort = 8000;


    /// <summary>
    /// Builds the app. It listens on <c>0.0.0.0:$PORT</c> (default 8000) unless URLs are configured
    /// (<c>ASPNETCORE_URLS</c> or <c>--urls</c>), which win.
    /// </summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (string.IsNullOrWhiteSpace(builder.Configuration["urls"]))
        {
            var port = int.TryParse(builder.Configuration["PORT"], out var configured) ? configured : DefaultPort;
            builder.WebHost.UseUrls($"http://0.0.0.0:{port}");
        }

        builder.AddProxyHeaders();

        // Never die at the open-file limit: hold at most the limit minus a reserve (ConnectionCeiling section).
        builder.WebHost.UseConnectionCeiling();

        // Kestrel:Sockets overrides these (and the transport's other options).
        // Sends run where the write is flushed instead of hopping to Kestrel's I/O queue: a broadcast's first
        // recipients get their frame while the writers of the others are still queued, and each writer
        // gathers what it finds into one send (WebSocketTransport). Socket completions stay on the thread
        // pool (DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS is not set), so no app code runs on an epoll thread.
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets.SocketTransportOptions>(o =>
        {
            o.UnsafePreferInlineScheduling = true;
        });
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets.SocketTransportOptions>(builder.Configuration.GetSection("Kestrel:Sockets"));

        // Give memory back once quiet after a burst (IdleMemoryTrim section).
        builder.Services.AddIdleMemoryTrimming();
        builder.Services.Configure<ChatOptions>(builder.Configuration.GetSection("Chat"));
        var socketIO = builder.Services.AddSocketIO(options =>
        {
            options.JsonSerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;

            // On unless SocketIO:ConnectionStateRecovery:Enabled is false; the section's other keys tune it.
            options.ConnectionStateRecovery ??= new ConnectionStateRecoveryOptions();
        });
        var clustered = socketIO.AddChatCluster(builder.Configuration);
        builder.Services.AddChatHealthChecks(redis: clustered);
        var prometheus = builder.AddChatMetrics();
        builder.Services.AddSingleton<UserDirectory>();
        builder.Services.AddSingleton<AddressRateLimiter>();
        builder.Services.AddSingleton<PresenceBroadcaster>();
        builder.Services.AddSingleton<ClusterPresence>();
        builder.Services.AddSingleton<HeldLeaves>();
        builder.Services.AddSingleton(sp => new InputRules(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<ChatOptions>>().Value));
        builder.Services.AddChatStorage(builder.Configuration);
        builder.Services.AddChatAccounts(builder.Configuration);
        builder.Services.AddChatChannels();
        builder.Services.AddSingleton<ChatHandlers>();
        configure?.Invoke(builder);

        var app = builder.Build();

        // First, so the page, the Socket.IO endpoint and every log see the scheme and client address the proxy saw.
        app.UseProxyHeaders();

        // Before the Socket.IO endpoint, so its handshakes know who is signed in; the rate limiter after
        // routing (which the host puts first), so each account endpoint gets its own policy.
        app.UseAuthentication();
        app.UseRateLimiter();
        app.MapChatPages();
        app.MapAccounts();
        app.MapAdminUIPage();
        app.MapHealthEndpoints();
        if (prometheus)
        {
            app.MapChatMetrics();
        }

        app.MapSocketIO("/socket.io", io => app.Services.GetRequiredService<ChatHandlers>().Register(io));
        app.Lifetime.ApplicationStarted.Register(() => LogAddresses(app));
        app.WarnWhenInstancesCannotShareIds();
        return app;
    }

    private static void LogAddresses(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("OpenChat");
        foreach (var address in addresses)
        {
            LogListening(logger, address.Replace("0.0.0.0", "localhost", StringComparison.Ordinal));
        }
    }

    [LoggerMessage(1, LogLevel.Information, "OpenChat is listening on {Address}", EventName = "Listening")]
    private static partial void LogListening(ILogger logger, string address);
}
