using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OpenChat.Tests.Infrastructure;

/// <summary>The OpenChat app on a real Kestrel loopback port, configured as a user would (plus test overrides).</summary>
public sealed class ChatHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TempFolder? _ownFolder;

    private ChatHost(WebApplication app, TempFolder? ownFolder)
    {
        _app = app;
        _ownFolder = ownFolder;
        BaseUri = new Uri(app.Urls.First().TrimEnd('/') + "/");
    }

    /// <summary>e.g. http://127.0.0.1:41234/</summary>
    public Uri BaseUri { get; }

    public IServiceProvider Services => _app.Services;

    public T Get<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    /// <summary>
    /// Starts the app. Extra arguments are configuration, e.g. "--Chat:PresenceWindow=00:00:00.050". Unless
    /// they name a store (<c>--Storage:DataFolder</c>, <c>--ConnectionStrings:Chat</c>, <c>--Storage:Enabled</c>),
    /// the history goes to a temp folder of this host's own, deleted when it stops.
    /// </summary>
    public static async Task<ChatHost> StartAsync(Action<WebApplicationBuilder>? configure = null, params string[] args)
    {
        var ownFolder = args.Any(a => a.StartsWith("--Storage:DataFolder=", StringComparison.Ordinal) || a.StartsWith("--Storage:Enabled=", StringComparison.Ordinal) || a.StartsWith("--ConnectionStrings:", StringComparison.Ordinal))
            ? null
            : new TempFolder();
        string[] storage = ownFolder is null ? [] : ["--Storage:DataFolder=" + ownFolder.Path];
        try
        {
            var app = OpenChatApp.Build(["--urls", "http://127.0.0.1:0", .. storage, .. args], builder =>
            {
                builder.Logging.ClearProviders();
                configure?.Invoke(builder);
            });
            await app.StartAsync();
            return new ChatHost(app, ownFolder);
        }
        catch
        {
            ownFolder?.Dispose();
            throw;
        }
    }

    /// <summary>Starts the app with its history in <paramref name="dataFolder"/> (e.g. to restart it on the same file).</summary>
    public static Task<ChatHost> StartInAsync(string dataFolder, params string[] args) =>
        StartAsync(null, ["--Storage:DataFolder=" + dataFolder, .. args]);

    /// <summary>Waits (bounded) until the app reaches a state the test cannot await directly.</summary>
    public async Task WaitUntilAsync(Func<bool> condition, TimeSpan? timeout = null)
    {
        using var limit = new CancellationTokenSource(timeout ?? TaskTimeouts.Default);
        while (!condition())
        {
            await Task.Delay(5, limit.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _app.StopAsync(timeout.Token);
            await _app.DisposeAsync();
        }
        finally
        {
            _ownFolder?.Dispose();
        }
    }
}
