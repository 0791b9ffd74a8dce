using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using OpenChat.SocketIO.Redis;

namespace OpenChat.SocketIO.Redis.Tests.Infrastructure;

/// <summary>A .NET Socket.IO server with the Redis adapter, on a real Kestrel loopback port, its logs kept.</summary>
public sealed class ClusterServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ClusterServer(WebApplication app, LogRecorder logs)
    {
        _app = app;
        Logs = logs;
        BaseUri = new Uri(app.Urls.First().TrimEnd('/') + "/");
    }

    public Uri BaseUri { get; }

    public SocketIOServer IO => _app.Services.GetRequiredService<SocketIOServer>();

    public RedisAdapter Adapter => (RedisAdapter)IO.MainNamespace.Adapter;

    public LogRecorder Logs { get; }

    /// <summary>Until the Redis adapter counts <paramref name="servers"/> servers on the request channel (Node's count).</summary>
    public Task WaitForServersAsync(int servers) =>
        Eventually.TrueAsync(async () => await Adapter.ServerCountAsync() == servers, $"{servers} servers subscribed");

    /// <summary>
    /// Starts a server on <paramref name="redisConfiguration"/>. Unless told not to wait, returns once its adapter
    /// has subscribed and announced itself.
    /// </summary>
    public static async Task<ClusterServer> StartAsync(
        string redisConfiguration,
        Action<SocketIOServer>? handlers = null,
        Action<RedisAdapterOptions>? redis = null,
        TimeProvider? time = null,
        bool waitForRedis = true,
        Action<SocketIOOptions>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var logs = new LogRecorder();
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Logging.AddProvider(logs);
        if (time is not null)
        {
            builder.Services.AddSingleton(time);
        }

        builder.Services.AddSocketIO(o =>
        {
            o.AckTimeout = TimeSpan.FromSeconds(5);
            configure?.Invoke(o);
        }).AddRedisAdapter(redisConfiguration, o =>
        {
            o.RequestsTimeout = TimeSpan.FromSeconds(3);
            redis?.Invoke(o);
        });
        var app = builder.Build();
        app.MapSocketIO("/socket.io", handlers);
        await app.StartAsync();
        var server = new ClusterServer(app, logs);
        if (waitForRedis)
        {
            await server.Adapter.Initialization.WithTimeout();
        }

        return server;
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }
}
