using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OpenChat.Tests.Infrastructure;

/// <summary>The OpenChat app on a real Kestrel loopback port, configured as a user would (plus test overrides).</summary>
public sealed class ChatHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ChatHost(WebApplication app)
    {
        _app = app;
        BaseUri = new Uri(app.Urls.First().TrimEnd('/') + "/");
    }

    /// <summary>e.g. http://127.0.0.1:41234/</summary>
    public Uri BaseUri { get; }

    public IServiceProvider Services => _app.Services;

    public T Get<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    /// <summary>Starts the app. Extra arguments are configuration, e.g. "--Chat:PresenceWindow=00:00:00.050".</summary>
    public static async Task<ChatHost> StartAsync(Action<WebApplicationBuilder>? configure = null, params string[] args)
    {
        var app = OpenChatApp.Build(["--urls", "http://127.0.0.1:0", .. args], builder =>
        {
            builder.Logging.ClearProviders();
            configure?.Invoke(builder);
        });
        await app.StartAsync();
        return new ChatHost(app);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }
}
