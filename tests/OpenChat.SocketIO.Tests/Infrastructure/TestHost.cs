using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace OpenChat.SocketIO.Tests.Infrastructure;

/// <summary>A real Kestrel server on a free loopback port running the Socket.IO server with the given options and handlers.</summary>
public sealed class TestHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestHost(WebApplication app, Uri baseUri)
    {
        _app = app;
        BaseUri = baseUri;
    }

    /// <summary>e.g. http://127.0.0.1:41234/</summary>
    public Uri BaseUri { get; }

    public SocketIOServer IO => _app.Services.GetRequiredService<SocketIOServer>();

    public IServiceProvider Services => _app.Services;

    /// <summary>The Engine.IO URL of the Socket.IO endpoint with a query, e.g. Url("EIO=4&amp;transport=polling").</summary>
    public Uri Url(string query, string path = "/socket.io/") => new(BaseUri, path + "?" + query);

    public Uri WebSocketUrl(string query, string path = "/socket.io/") => new(Url(query, path).ToString().Replace("http://", "ws://"));

    public static async Task<TestHost> StartAsync(
        Action<SocketIOOptions>? configure = null,
        Action<SocketIOServer>? handlers = null,
        Action<WebApplication>? mapMore = null,
        Action<IServiceCollection>? services = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSocketIO(configure);
        services?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapSocketIO("/socket.io", handlers);
        mapMore?.Invoke(app);
        await app.StartAsync();
        return new TestHost(app, new Uri(app.Urls.First().TrimEnd('/') + "/"));
    }

    /// <summary>Runs an already-built application (e.g. the conformance host) on a free port.</summary>
    public static async Task<TestHost> StartAsync(WebApplication app)
    {
        await app.StartAsync();
        return new TestHost(app, new Uri(app.Urls.First().TrimEnd('/') + "/"));
    }

    /// <summary>Waits (bounded) until the server reaches a state the test cannot await directly.</summary>
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
        var stopping = _app.StopAsync(timeout.Token);
        if (Services.GetService<TimeProvider>() is FakeTimeProvider fake)
        {
            // On virtual time a closing session that nobody drains would wait for a close timeout that never
            // passes: the clock moves on while the host stops.
            while (!stopping.IsCompleted)
            {
                fake.Advance(IO.Options.CloseTimeout);
                await Task.WhenAny(stopping, Task.Delay(20));
            }
        }

        await stopping;
        await _app.DisposeAsync();
    }
}
