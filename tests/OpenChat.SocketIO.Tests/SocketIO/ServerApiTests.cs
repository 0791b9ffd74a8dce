using System.Text.Json;
using OpenChat.SocketIO.Tests.Clients;
using OpenChat.SocketIO.Tests.Hardening;
using OpenChat.SocketIO.Tests.Infrastructure;

namespace OpenChat.SocketIO.Tests.SocketIO;

/// <summary>
/// The server API that works on one server and across a cluster alike (<c>FetchSocketsAsync</c>,
/// <c>SocketsJoin</c>/<c>SocketsLeave</c>, <c>DisconnectSockets</c>, broadcasts with acknowledgements,
/// <c>Local</c>, <c>ServerSideEmit</c>), here on one server with the in-memory adapter and the official client.
/// </summary>
public sealed class ServerApiTests
{
    [Fact]
    public async Task Fetched_sockets_carry_id_rooms_data_and_handshake_and_act_on_the_real_socket()
    {
        var sockets = new ConnectedSockets();
        await using var host = await TestHost.StartAsync(handlers: io => io.On("connection", sockets.Track));
        await using var clients = NodeScript.Start("chat-clients.js", new { url = host.BaseUri.ToString(), timeoutMs = 30_000 });
        var id = await ConnectAsync(clients, "a", new { token = "t1" });
        var socket = await sockets.For(id).WithTimeout();
        socket.Data["nickname"] = "ay";
        socket.Join("lobby");

        var fetched = Assert.Single(await host.IO.In("lobby").FetchSocketsAsync().WithTimeout());
        Assert.Equal(id, fetched.Id);
        Assert.Equal(["lobby", id], fetched.Rooms.Order(StringComparer.Ordinal).ToArray().OrderBy(r => r != "lobby"));
        Assert.Equal("ay", fetched.GetData<string>("nickname"));
        Assert.Equal("t1", fetched.Handshake.Auth.GetProperty("token").GetString());
        Assert.Equal("websocket", fetched.Handshake.Query["transport"]);
        Assert.StartsWith("/socket.io/", fetched.Handshake.Url, StringComparison.Ordinal);

        fetched.Emit("direct", 1);
        await clients.WaitForAsync("received", l => l.GetProperty("name").GetString() == "direct");
        fetched.Leave("lobby");
        Assert.DoesNotContain("lobby", socket.Rooms);
        fetched.Disconnect();
        var disconnect = await clients.WaitForAsync("disconnect");
        Assert.Equal("io server disconnect", disconnect.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Sockets_join_and_leave_several_rooms_at_once_and_disconnect_by_selection()
    {
        var sockets = new ConnectedSockets();
        await using var host = await TestHost.StartAsync(handlers: io => io.On("connection", sockets.Track));
        await using var clients = NodeScript.Start("chat-clients.js", new { url = host.BaseUri.ToString(), timeoutMs = 30_000 });
        var a = await sockets.For(await ConnectAsync(clients, "a")).WithTimeout();
        var b = await sockets.For(await ConnectAsync(clients, "b")).WithTimeout();
        a.Join("team");

        host.IO.In("team").SocketsJoin("x", "y");
        Assert.Superset(new HashSet<string> { "team", "x", "y" }, new HashSet<string>(a.Rooms));
        Assert.DoesNotContain("x", b.Rooms);
        host.IO.SocketsLeave("x", "y");
        Assert.DoesNotContain("x", a.Rooms);
        Assert.DoesNotContain("y", a.Rooms);
        a.Join("z");
        a.Leave(["team", "z"]);
        Assert.Equal([a.Id], a.Rooms);

        host.IO.Except(a.Id).DisconnectSockets();
        var disconnect = await clients.WaitForAsync("disconnect");
        Assert.Equal("b", disconnect.GetProperty("client").GetString());
        Assert.True(a.Connected);
    }

    [Fact]
    public async Task A_broadcast_with_acknowledgements_gathers_each_clients_first_argument_or_times_out_with_what_came()
    {
        var sockets = new ConnectedSockets();
        await using var host = await TestHost.StartAsync(handlers: io => io.On("connection", sockets.Track));
        await using var clients = NodeScript.Start("chat-clients.js", new { url = host.BaseUri.ToString(), timeoutMs = 30_000 });
        await ConnectAsync(clients, "a", ackWith: "from a");
        await ConnectAsync(clients, "b", ackWith: new { from = "b" });

        var answers = await host.IO.Timeout(TimeSpan.FromSeconds(5)).EmitWithAckAsync("question", 1).WithTimeout();
        Assert.Equal(["\"from a\"", """{"from":"b"}"""], answers.Select(a => a[0].GetRawText()).Order(StringComparer.Ordinal));

        var silent = await sockets.For(await ConnectAsync(clients, "silent")).WithTimeout();
        var timedOut = await Assert.ThrowsAsync<BroadcastAckTimeoutException>(() => host.IO.Timeout(TimeSpan.FromMilliseconds(500)).EmitWithAckAsync("question", 2).WithTimeout());
        Assert.Equal(2, timedOut.Responses.Count);
        Assert.True(silent.Connected);
    }

    [Fact]
    public async Task On_one_server_a_local_broadcast_reaches_everyone_and_server_side_events_reach_nobody()
    {
        var heard = 0;
        await using var host = await TestHost.StartAsync(handlers: io => io.OnServerSideEmit("ping", _ => Interlocked.Increment(ref heard)));
        await using var clients = NodeScript.Start("chat-clients.js", new { url = host.BaseUri.ToString(), timeoutMs = 30_000 });
        await ConnectAsync(clients, "a");

        host.IO.Local.Emit("local", "yes");
        var received = await clients.WaitForAsync("received", l => l.GetProperty("name").GetString() == "local");
        Assert.Equal("yes", received.GetProperty("args")[0].GetString());

        host.IO.ServerSideEmit("ping", 1);
        Assert.Empty(await host.IO.ServerSideEmitWithAckAsync("ping", [1]).WithTimeout());
        Assert.Equal(0, heard);
        Assert.Equal(1, await host.IO.MainNamespace.Adapter.ServerCountAsync());
    }

    private static async Task<string> ConnectAsync(NodeScript clients, string client, object? auth = null, object? ackWith = null)
    {
        await clients.SendAsync(new { cmd = "connect", client, auth, ackWith, transports = new[] { "websocket" } });
        var connect = await clients.WaitForAsync("connect", l => l.GetProperty("client").GetString() == client);
        return connect.GetProperty("id").GetString()!;
    }
}
