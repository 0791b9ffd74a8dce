using OpenChat.SocketIO.Redis.Tests.Infrastructure;

namespace OpenChat.SocketIO.Redis.Tests;

/// <summary>
/// The Admin UI's server side in a fleet on one Redis: a UI connected to one server lists the sockets of every
/// server and its actions reach a socket on another, as the official UI connects (socket.io-client on /admin).
/// </summary>
public sealed class AdminUIClusterTests(RedisServer redis) : IClassFixture<RedisServer>
{
    [Fact]
    public async Task A_UI_on_one_server_lists_the_sockets_of_both_and_disconnects_one_on_the_other()
    {
        static void Admin(SocketIOOptions o)
        {
            o.AdminUI.Enabled = true;
            o.AdminUI.Auth = false;
        }

        await using var a = await ClusterServer.StartAsync(redis.Configuration, configure: Admin);
        await using var b = await ClusterServer.StartAsync(redis.Configuration, configure: Admin);
        await using var clients = Clients.Start();
        var ana = await clients.ConnectAsync("ana", a.BaseUri);
        var ben = await clients.ConnectAsync("ben", b.BaseUri);

        await clients.ConnectAsync("ui", a.BaseUri, @namespace: "/admin");
        var listed = (await clients.WaitForReceivedAsync("ui", "all_sockets"))[0];

        var ids = listed.EnumerateArray().Where(s => s.GetProperty("nsp").GetString() == "/").Select(s => s.GetProperty("id").GetString()).ToHashSet();
        Assert.Equal(new HashSet<string?> { ana, ben }, ids);

        // What the UI's disconnect button sends: the namespace, whether to close the connection, the socket.
        await clients.EmitAsync("ui", "_disconnect", "/", false, ben);
        var gone = await clients.Node.WaitForAsync("disconnect", l => l.GetProperty("client").GetString() == "ben");
        Assert.Equal("io server disconnect", gone.GetProperty("reason").GetString());
        Assert.DoesNotContain(clients.Node.Lines, l => NodeWitness.Is(l, "disconnect") && l.GetProperty("client").GetString() == "ana");
    }
}
