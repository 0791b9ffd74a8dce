using OpenChat.SocketIO.EngineIO;
using OpenChat.SocketIO;

namespace ConformanceHost;

/// <summary>
/// The server the official Engine.IO and Socket.IO protocol test suites expect: short heartbeats, CORS
/// open, an Engine.IO echo on /engine.io/ and Socket.IO on /socket.io/ with namespaces / and /custom.
/// <c>--parser=msgpack</c> (configuration key <c>parser</c>) puts Socket.IO on the MessagePack parser, for
/// checks with the official client and socket.io-msgpack-parser (the suites themselves speak JSON).
/// </summary>
public static class ConformanceApp
{
    /// <summary>The configuration key that picks the parser: <c>json</c> (the default) or <c>msgpack</c>.</summary>
    public const string ParserKey = "parser";

    public static WebApplication Build(string[] args, int port)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");

        // A line per request would cost the host more than the suites' 200 ms heartbeats can spare.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        var socketIO = builder.Services.AddSocketIO(Configure);
        switch (builder.Configuration[ParserKey])
        {
            case null or "" or "json":
                break;
            case "msgpack":
                socketIO.AddMessagePackParser();
                break;
            case var other:
                throw new ArgumentException($"Unknown parser \"{other}\": use json or msgpack (--{ParserKey}=msgpack).");
        }

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
