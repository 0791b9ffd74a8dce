using OpenChat.SocketIO.EngineIO;
using OpenChat.SocketIO;

namespace ConformanceHost;

/// <summary>
/// The server the official Engine.IO and Socket.IO protocol test suites expect: short heartbeats, CORS
/// open, an Engine.IO echo on /engine.io/ and Socket.IO on /socket.io/ with namespaces / and /custom.
/// </summary>
public static class ConformanceApp
{
    public static WebApplication Build(string[] args, int port)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");

        // A line per request would cost the host more than the suites' 200 ms heartbeats can spare.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Services.AddSocketIO(Configure);
        builder.Services.AddEngineIO("/engine.io", Configure);
        var app = builder.Build();

        app.MapEngineIO("/engine.io", new EngineEcho());
        app.MapSocketIO("/socket.io", io =>
        {
            io.On("connection", socket =>
            {
                socket.Emit("auth", socket.Handshake.Auth);
                socket.On("message", ctx => { socket.Emit("message-back", ctx.Arguments); });
                socket.On("message-with-ack", ctx => { ctx.Ack(ctx.Arguments); });
            });
            io.Of("/custom").On("connection", socket => { socket.Emit("auth", socket.Handshake.Auth); });
        });
        return app;
    }

    private static void Configure(EngineIOOptions options)
    {
        options.PingInterval = TimeSpan.FromMilliseconds(300);
        options.PingTimeout = TimeSpan.FromMilliseconds(200);
        options.Cors.AllowedOrigins.Add("*");
        if (options is SocketIOOptions socketIO)
        {
            socketIO.ConnectTimeout = TimeSpan.FromMilliseconds(1000);
        }
    }
}
