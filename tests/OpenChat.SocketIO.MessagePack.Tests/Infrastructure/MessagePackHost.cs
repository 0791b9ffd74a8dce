using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace OpenChat.SocketIO.MessagePack.Tests.Infrastructure;

/// <summary>A real Kestrel server on a free loopback port with the Socket.IO server on the MessagePack parser.</summary>
internal sealed class MessagePackHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private MessagePackHost(WebApplication app)
    {
        _app = app;
        BaseUri = new Uri(app.Urls.First().TrimEnd('/') + "/");
    }

    public Uri BaseUri { get; }

    public SocketIOServer IO => _app.Services.GetRequiredService<SocketIOServer>();

    public static async Task<MessagePackHost> StartAsync(Action<SocketIOServer> handlers)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSocketIO().AddMessagePackParser();
        var app = builder.Build();
        app.MapSocketIO("/socket.io", handlers);
        await app.StartAsync();
        return new MessagePackHost(app);
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }
}
