using OpenChat.SocketIO;

// A bare Socket.IO host on the library, beside bench/peers/node/bare.js: default options (heartbeats every
// 25 s), the connection ceiling below the open-file limit, no state of its own per connection, no lists.
// my_mssg is relayed to everyone as "message", so the harness's warm-up has something to measure.
var builder = WebApplication.CreateBuilder(args);
builder.WebHost.UseConnectionCeiling();
builder.Services.AddSocketIO();
var app = builder.Build();
app.MapSocketIO("/socket.io", io => io.On("connection", socket =>
    socket.On("my_mssg", context => io.Emit("message", context.Arguments.Get<string>(0)))));
app.Run();
