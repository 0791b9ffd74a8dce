using OpenChat.SocketIO;

var builder = WebApplication.CreateBuilder(args);

// Options come from the "SocketIO" configuration section (appsettings.json, SocketIO__PingInterval=...,
// --SocketIO:PingInterval=...), then from this delegate; they are checked when the app starts.
builder.Services.AddSocketIO(options => options.Cors.AllowedOrigins.Add("http://localhost:5173"));
builder.Services.AddSingleton<MessageLog>();

var app = builder.Build();

app.MapSocketIO("/socket.io", io =>
{
    // Handlers as lambdas, as in Node.
    io.On("connection", socket =>
    {
        socket.Emit("welcome", socket.Id);

        // A client joins a room and is told so through its acknowledgement callback.
        socket.On("join", ctx =>
        {
            var room = ctx.Arguments.Get<string>(0) ?? "lobby";
            socket.Join(room);
            ctx.Ack(new { joined = room });
        });

        // Everyone else in the room hears what a client says.
        socket.On("say", ctx =>
        {
            var room = ctx.Arguments.Get<string>(0) ?? "lobby";
            var text = ctx.Arguments.Get<string>(1) ?? string.Empty;
            socket.To(room).Emit("said", new { from = socket.Id, text });
        });

        socket.OnDisconnect(reason => app.Logger.LogInformation("{Socket} left: {Reason}", socket.Id, reason));
    });

    // Handlers as a class, as in SignalR: see ChatHub.cs.
    io.Of("/chat").MapHub<ChatHub>();
});

// The server is a singleton: any endpoint or service can take it and emit.
app.MapPost("/announce", (SocketIOServer io, Announcement announcement) =>
{
    io.Emit("announcement", announcement.Text);
    return Results.Accepted();
});

app.Run();

internal sealed record Announcement(string Text);
