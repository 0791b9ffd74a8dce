using System.Text.Json;
using OpenChat.SocketIO.Tests.Clients;
using OpenChat.SocketIO.Tests.Infrastructure;

namespace OpenChat.SocketIO.Tests.SocketIO;

/// <summary>
/// The user the handshake request was authenticated as, and its cookies, reach namespace middleware and
/// handlers (<c>socket.Handshake.User</c>, as SignalR's <c>Context.User</c>), whichever transport opened the
/// connection; the official client carries the cookie as a browser would.
/// </summary>
public sealed class HandshakeUserTests
{
    public static TheoryData<string> Transports => new() { "websocket", "polling", "polling,websocket" };

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Middleware_and_handlers_see_the_signed_in_user_and_the_cookies(string transports)
    {
        var inMiddleware = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await SignedInHost.StartAsync(io =>
        {
            io.Use(socket =>
            {
                inMiddleware.TrySetResult(socket.Handshake.User.Identity?.Name);
                return ValueTask.CompletedTask;
            });
            io.On("connection", socket =>
            {
                socket.On("whoami", ctx => ctx.Ack(new
                {
                    id = ctx.Socket.Id,
                    transport = ctx.Socket.Transport,
                    user = ctx.Socket.Handshake.User.Identity?.Name,
                    authenticated = ctx.Socket.Handshake.User.Identity?.IsAuthenticated ?? false,
                    flavour = ctx.Socket.Handshake.Cookies.GetValueOrDefault("flavour"),
                }));
                socket.Emit("auth", socket.Handshake.Auth);
            });
        });
        var cookie = await host.SignInAsync("Ana");

        var lines = await NodeScript.RunAsync("connect.js", new
        {
            url = host.BaseUri.ToString(),
            transports,
            whoami = true,
            waitForWebSocket = transports.Contains(','),
            extraHeaders = new { cookie = cookie + "; flavour=\"salted%20caramel\"" },
        });

        Assert.Equal("Ana", await inMiddleware.Task.WithTimeout());
        var whoami = lines.Single(l => l.GetProperty("event").GetString() == "whoami");
        Assert.Equal("Ana", whoami.GetProperty("user").GetString());
        Assert.True(whoami.GetProperty("authenticated").GetBoolean());
        Assert.Equal("salted caramel", whoami.GetProperty("flavour").GetString());
        Assert.Equal(transports.Split(',')[^1], whoami.GetProperty("transport").GetString());
    }

    [Fact]
    public async Task Without_a_sign_in_the_user_is_anonymous_and_there_are_no_cookies()
    {
        var seen = new TaskCompletionSource<(bool Authenticated, int Cookies)>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await SignedInHost.StartAsync(io => io.On("connection", socket =>
            seen.TrySetResult((socket.Handshake.User.Identity?.IsAuthenticated ?? false, socket.Handshake.Cookies.Count))));

        await using var client = await Hardening.RawSocketIOClient.OpenPollingAsync(host);
        await client.JoinAsync();

        Assert.Equal((false, 0), await seen.Task.WithTimeout());
    }
}
