using System.Text.Json;
using OpenChat.SocketIO.Adapters;
using OpenChat.SocketIO.Redis.Tests.Infrastructure;

namespace OpenChat.SocketIO.Redis.Tests;

/// <summary>
/// A .NET server with the Redis adapter and the Node reference server with @socket.io/redis-adapter 8.3.0 on one
/// Redis form one fleet: whatever one does, clients of the other see, through the official client.
/// </summary>
public sealed class MixedFleetTests(RedisServer redis) : IClassFixture<RedisServer>
{
    [Fact]
    public async Task A_broadcast_from_either_kind_of_server_reaches_the_clients_of_both()
    {
        await using var fleet = await Fleet.StartAsync(redis);
        fleet.DotNet.IO.Emit("news", "from .NET", 42, new byte[] { 1, 2, 3 }, new { nested = new[] { 1.5 } });
        var atNode = await fleet.Clients.WaitForReceivedAsync("n1", "news");
        var atDotNet = await fleet.Clients.WaitForReceivedAsync("d1", "news");
        Assert.Equal("from .NET", atNode[0].GetString());
        Assert.Equal("from .NET", atDotNet[0].GetString());
        var nodeArgs = Args(fleet.Clients, "n1", "news")[0];
        Assert.Equal("""["from .NET",42,{"$bin":"AQID","type":"Buffer"},{"nested":[1.5]}]""", nodeArgs.GetRawText());

        await fleet.Node.AskAsync(new { cmd = "emit", name = "news", args = new object[] { "from Node", new Dictionary<string, string> { ["$bin"] = "BAU=" } } }, "emitted");
        await fleet.Clients.WaitForReceivedAsync("d1", "news", 2);
        Assert.Equal("""["from Node",{"$bin":"BAU=","type":"Buffer"}]""", Args(fleet.Clients, "d1", "news")[1].GetRawText());
        await fleet.Clients.WaitForReceivedAsync("n1", "news", 2);
    }

    [Fact]
    public async Task Rooms_and_except_select_the_same_clients_on_either_kind_of_server()
    {
        await using var fleet = await Fleet.StartAsync(redis, extraClients: true);
        fleet.DotNet.IO.MainNamespace.TryGetSocket(fleet.Ids["d1"], out var d1);
        d1.Join("blue");
        await fleet.Node.AskAsync(new { cmd = "join", id = fleet.Ids["n1"], room = "blue" }, "done");

        // To one room (published on that room's own channel), to a room but one socket, to everyone but a room.
        // Redis keeps each publisher's messages in order, so each server's last broadcast marks the end of its others.
        fleet.DotNet.IO.To("blue").Emit("to-blue");
        fleet.DotNet.IO.To("blue").Except(fleet.Ids["n1"]).Emit("blue-but-n1");
        fleet.DotNet.IO.Emit("done-dotnet");
        await fleet.Node.AskAsync(new { cmd = "emit", name = "not-blue", except = new[] { "blue" } }, "emitted");
        await fleet.Node.AskAsync(new { cmd = "emit", name = "done-node" }, "emitted");
        foreach (var client in new[] { "d1", "d2", "n1", "n2" })
        {
            await fleet.Clients.WaitForReceivedAsync(client, "done-dotnet");
            await fleet.Clients.WaitForReceivedAsync(client, "done-node");
        }

        Assert.Equal(["d1", "n1"], Who(fleet.Clients, "to-blue"));
        Assert.Equal(["d1"], Who(fleet.Clients, "blue-but-n1"));
        Assert.Equal(["d2", "n2"], Who(fleet.Clients, "not-blue"));
    }

    [Fact]
    public async Task Fetching_sockets_from_either_kind_of_server_describes_the_sockets_of_both()
    {
        await using var fleet = await Fleet.StartAsync(redis);
        fleet.DotNet.IO.MainNamespace.TryGetSocket(fleet.Ids["d1"], out var d1);
        d1.Data["nickname"] = "dee";
        d1.Join("green");
        await fleet.Node.AskAsync(new { cmd = "setData", id = fleet.Ids["n1"], data = new { nickname = "enn" } }, "done");

        var fromDotNet = await fleet.DotNet.IO.FetchSocketsAsync().WithTimeout();
        Assert.Equal(Sorted(fleet.Ids["d1"], fleet.Ids["n1"]), Sorted([.. fromDotNet.Select(s => s.Id)]));
        var remote = fromDotNet.Single(s => s.Id == fleet.Ids["n1"]);
        Assert.Equal("enn", remote.GetData<string>("nickname"));
        Assert.Contains(fleet.Ids["n1"], remote.Rooms);
        Assert.Equal("websocket", remote.Handshake.Query["transport"]);
        Assert.Equal(["green"], (await fleet.DotNet.IO.In("green").FetchSocketsAsync().WithTimeout()).SelectMany(s => s.Rooms).Where(r => r == "green"));

        var fromNode = await fleet.Node.AskAsync(new { cmd = "fetchSockets" }, "sockets");
        var described = fromNode.GetProperty("sockets").EnumerateArray().Single(s => s.GetProperty("id").GetString() == fleet.Ids["d1"]);
        Assert.Equal("dee", described.GetProperty("data").GetProperty("nickname").GetString());
        Assert.Equal(Sorted(fleet.Ids["d1"], "green"), Sorted([.. described.GetProperty("rooms").EnumerateArray().Select(r => r.GetString()!)]));
        Assert.Equal("websocket", described.GetProperty("handshake").GetProperty("query").GetProperty("transport").GetString());
    }

    [Fact]
    public async Task Joining_leaving_and_disconnecting_reach_sockets_on_the_other_kind_of_server()
    {
        await using var fleet = await Fleet.StartAsync(redis);
        fleet.DotNet.IO.SocketsJoin("red", "amber");
        await Eventually.TrueAsync(async () => (await fleet.Node.AskAsync(new { cmd = "fetchSockets", @in = new[] { "amber" } }, "sockets")).GetProperty("sockets").GetArrayLength() == 2, "both sockets in amber");
        await fleet.Node.AskAsync(new { cmd = "socketsLeave", @in = new[] { "red" }, rooms = new[] { "red", "amber" } }, "done");
        await Eventually.TrueAsync(async () => (await fleet.DotNet.IO.In("amber").FetchSocketsAsync()).Count == 0, "nobody left in amber");

        var remote = (await fleet.DotNet.IO.FetchSocketsAsync().WithTimeout()).Single(s => s.Id == fleet.Ids["n1"]);
        remote.Emit("direct", "just you");
        await fleet.Clients.WaitForReceivedAsync("n1", "direct");
        remote.Disconnect();
        var from = fleet.Clients.Node.Lines.Count;
        await fleet.Clients.Node.WaitForAsync("disconnect", l => l.GetProperty("client").GetString() == "n1" && l.GetProperty("reason").GetString() == "io server disconnect");
        Assert.Empty(fleet.Clients.Received("d1", "direct"));
    }

    [Fact]
    public async Task A_join_and_the_broadcast_after_it_arrive_in_that_order_whatever_their_channels()
    {
        await using var fleet = await Fleet.StartAsync(redis);
        for (var i = 0; i < 20; i++)
        {
            // The join goes on the request channel, the broadcast on the room's channel.
            await fleet.Node.AskAsync(new { cmd = "joinThenEmit", room = $"fresh-{i}", name = "welcome", args = new object[] { i } }, "emitted");
            fleet.DotNet.IO.SocketsJoin($"other-{i}");
            fleet.DotNet.IO.To($"other-{i}").Emit("welcome-back", i);
        }

        Assert.Equal(Enumerable.Range(0, 20), (await fleet.Clients.WaitForReceivedAsync("d1", "welcome", 20)).Select(a => a.GetInt32()));
        Assert.Equal(Enumerable.Range(0, 20), (await fleet.Clients.WaitForReceivedAsync("n1", "welcome-back", 20)).Select(a => a.GetInt32()));
    }

    [Fact]
    public async Task Each_namespace_is_a_fleet_of_its_own()
    {
        await using var fleet = await Fleet.StartAsync(redis, configure: io => io.Of("/admin"));
        var adminUrl = new Uri(fleet.DotNet.BaseUri, "admin");
        await fleet.Clients.ConnectAsync("d-admin", adminUrl);
        await fleet.Clients.ConnectAsync("n-admin", new Uri(fleet.NodeUrl, "admin"));
        await fleet.DotNet.IO.Of("/admin").Adapter.Initialization.WithTimeout();

        fleet.DotNet.IO.Of("/admin").Emit("for-admins", 1);
        await fleet.Node.AskAsync(new { cmd = "emit", nsp = "/admin", name = "for-admins", args = new object[] { 2 } }, "emitted");
        await fleet.Node.AskAsync(new { cmd = "emit", name = "for-main" }, "emitted");
        await fleet.Clients.WaitForReceivedAsync("d1", "for-main");
        Assert.Equal([1, 2], (await fleet.Clients.WaitForReceivedAsync("n-admin", "for-admins", 2)).Select(a => a.GetInt32()).Order());
        Assert.Equal([1, 2], (await fleet.Clients.WaitForReceivedAsync("d-admin", "for-admins", 2)).Select(a => a.GetInt32()).Order());
        Assert.Empty(fleet.Clients.Received("d1", "for-admins"));
        Assert.Empty(fleet.Clients.Received("n1", "for-admins"));
        Assert.Empty(fleet.Clients.Received("d-admin", "for-main"));
    }

    [Fact]
    public async Task The_emitter_reaches_dotnet_clients_in_every_room_selection()
    {
        await using var fleet = await Fleet.StartAsync(redis, extraClients: true);
        fleet.DotNet.IO.MainNamespace.TryGetSocket(fleet.Ids["d1"], out var d1);
        d1.Join("vip");
        await using var emitter = NodeWitness.StartCluster("emitter.js", new { redisUrl = redis.Url });
        await emitter.WaitForAsync("ready");

        await emitter.AskAsync(new { cmd = "emit", name = "all", args = new object[] { "everyone", 1 } }, "done");
        await emitter.AskAsync(new { cmd = "emit", name = "vip", to = new[] { "vip" } }, "done");
        await emitter.AskAsync(new { cmd = "emit", name = "not-vip", except = new[] { "vip" } }, "done");
        await emitter.AskAsync(new { cmd = "emit", name = "done" }, "done");
        foreach (var client in new[] { "d1", "d2", "n1", "n2" })
        {
            await fleet.Clients.WaitForReceivedAsync(client, "done");
        }

        Assert.Equal(["d1", "d2", "n1", "n2"], Who(fleet.Clients, "all"));
        Assert.Equal("""["everyone",1]""", Args(fleet.Clients, "d2", "all")[0].GetRawText());
        Assert.Equal(["d1"], Who(fleet.Clients, "vip"));
        Assert.Equal(["d2", "n1", "n2"], Who(fleet.Clients, "not-vip"));

        await emitter.AskAsync(new { cmd = "socketsJoin", rooms = new[] { "joined-by-emitter" } }, "done");
        await Eventually.TrueAsync(() => d1.Rooms.Contains("joined-by-emitter"), "d1 in the emitter's room");
    }

    [Fact]
    public async Task Server_side_events_cross_a_mixed_fleet_with_and_without_acknowledgement()
    {
        var heard = new List<string>();
        await using var fleet = await Fleet.StartAsync(redis, configure: io => io.OnServerSideEmit("hello", e =>
        {
            lock (heard)
            {
                heard.Add(e.Arguments[0].GetRawText());
            }

            e.Ack(new { from = "dotnet" });
        }));
        await using var emitter = NodeWitness.StartCluster("emitter.js", new { redisUrl = redis.Url });
        await emitter.WaitForAsync("ready");

        fleet.DotNet.IO.ServerSideEmit("hello", new { n = 1 });
        var atNode = await fleet.Node.WaitForAsync("server-side");
        Assert.Equal("""[{"n":1}]""", atNode.GetProperty("args").GetRawText());

        await fleet.Node.AskAsync(new { cmd = "serverSideEmit", name = "hello", args = new object[] { "from node" } }, "done");
        await emitter.AskAsync(new { cmd = "serverSideEmit", name = "hello", args = new object[] { "from the emitter" } }, "done");
        await Eventually.TrueAsync(() => { lock (heard) { return heard.Count == 2; } }, "both server-side events");
        // Two publishers: Redis orders each one's messages, not the two between them.
        Assert.Equal(["\"from node\"", "\"from the emitter\""], heard.Order(StringComparer.Ordinal));

        var answers = await fleet.DotNet.IO.ServerSideEmitWithAckAsync("hello", [2]).WithTimeout();
        Assert.Equal("""{"from":"node"}""", Assert.Single(answers).GetRawText());
        var nodeAnswers = await fleet.Node.AskAsync(new { cmd = "serverSideEmitWithAck", name = "hello", args = new object[] { 3 } }, "server-side-acks");
        Assert.Equal("""[{"from":"dotnet"}]""", nodeAnswers.GetProperty("responses").GetRawText());
    }

    [Fact]
    public async Task A_broadcast_with_acknowledgements_gathers_every_clients_answer_from_every_server()
    {
        await using var fleet = await Fleet.StartAsync(redis, ackWith: true);
        var answers = await fleet.DotNet.IO.Timeout(TimeSpan.FromSeconds(5)).EmitWithAckAsync("question", "?").WithTimeout();
        Assert.Equal(["d1", "n1"], answers.Select(a => a.Get<string>(0)!).Order(StringComparer.Ordinal));

        var fromNode = await fleet.Node.AskAsync(new { cmd = "emitWithAck", name = "question", args = new object[] { "?" }, timeoutMs = 5000 }, "acks");
        Assert.Equal(["d1", "n1"], fromNode.GetProperty("responses").EnumerateArray().Select(r => r.GetString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_fleet_counts_every_server_and_a_local_broadcast_stays_on_its_server()
    {
        await using var fleet = await Fleet.StartAsync(redis);
        Assert.Equal(2, await fleet.DotNet.Adapter.ServerCountAsync());
        Assert.Equal(2, (await fleet.Node.AskAsync(new { cmd = "serverCount" }, "serverCount")).GetProperty("count").GetInt32());

        fleet.DotNet.IO.Local.Emit("local-only");
        fleet.DotNet.IO.Emit("everywhere");
        await fleet.Clients.WaitForReceivedAsync("n1", "everywhere");
        await fleet.Clients.WaitForReceivedAsync("d1", "everywhere");
        Assert.Single(fleet.Clients.Received("d1", "local-only"));
        Assert.Empty(fleet.Clients.Received("n1", "local-only"));

        var rooms = await fleet.DotNet.Adapter.AllRoomsAsync().WithTimeout();
        Assert.Contains(fleet.Ids["n1"], rooms);
        Assert.Contains(fleet.Ids["d1"], rooms);
    }

    private static string[] Sorted(params string[] values) => [.. values.Order(StringComparer.Ordinal)];

    private static IReadOnlyList<JsonElement> Args(Clients clients, string client, string eventName) =>
        clients.Node.Lines.Where(l => NodeWitness.Is(l, "received") && l.GetProperty("client").GetString() == client && l.GetProperty("name").GetString() == eventName)
            .Select(l => l.GetProperty("args"))
            .ToList();

    private static string[] Who(Clients clients, string eventName) =>
        [.. clients.Node.Lines.Where(l => NodeWitness.Is(l, "received") && l.GetProperty("name").GetString() == eventName)
            .Select(l => l.GetProperty("client").GetString()!)
            .Order(StringComparer.Ordinal)];

    /// <summary>One .NET server and one Node server on the same Redis, with clients d1 (and d2) on .NET and n1 (and n2) on Node.</summary>
    private sealed class Fleet : IAsyncDisposable
    {
        private Fleet(ClusterServer dotNet, NodeWitness node, Uri nodeUrl, Clients clients, Dictionary<string, string> ids)
        {
            DotNet = dotNet;
            Node = node;
            NodeUrl = nodeUrl;
            Clients = clients;
            Ids = ids;
        }

        public ClusterServer DotNet { get; }

        public NodeWitness Node { get; }

        public Uri NodeUrl { get; }

        public Clients Clients { get; }

        public Dictionary<string, string> Ids { get; }

        public static async Task<Fleet> StartAsync(RedisServer redis, bool extraClients = false, bool ackWith = false, Action<SocketIOServer>? configure = null)
        {
            var dotNet = await ClusterServer.StartAsync(redis.Configuration, configure);
            var (node, nodeUrl) = await NodeWitness.StartServerAsync(redis, "hello");
            await dotNet.WaitForServersAsync(2);
            var clients = Infrastructure.Clients.Start();
            var ids = new Dictionary<string, string>
            {
                ["d1"] = await clients.ConnectAsync("d1", dotNet.BaseUri, ackWith ? "d1" : null),
                ["n1"] = await clients.ConnectAsync("n1", nodeUrl, ackWith ? "n1" : null),
            };
            if (extraClients)
            {
                ids["d2"] = await clients.ConnectAsync("d2", dotNet.BaseUri);
                ids["n2"] = await clients.ConnectAsync("n2", nodeUrl);
            }

            return new Fleet(dotNet, node, nodeUrl, clients, ids);
        }

        public async ValueTask DisposeAsync()
        {
            await Clients.DisposeAsync();
            await Node.DisposeAsync();
            await DotNet.DisposeAsync();
        }
    }
}
