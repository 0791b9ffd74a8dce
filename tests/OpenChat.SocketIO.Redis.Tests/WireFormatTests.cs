using System.Text;
using System.Text.RegularExpressions;
using MessagePack;
using OpenChat.SocketIO.Redis.Tests.Infrastructure;

namespace OpenChat.SocketIO.Redis.Tests;

/// <summary>
/// What the .NET adapter publishes is byte for byte what @socket.io/redis-adapter 8.3.0 publishes for the same
/// call, on the same channel: both servers do the same thing on one Redis and a third client records the
/// messages. Only the server's own id (and a request's id) differ.
/// </summary>
public sealed partial class WireFormatTests(RedisServer redis) : IClassFixture<RedisServer>
{
    [Fact]
    public async Task A_broadcast_to_everyone_is_the_same_notepack_message_on_the_same_channel()
    {
        await using var pair = await Pair.StartAsync(redis);
        var from = pair.Tap.Messages.Count;
        await pair.Node.AskAsync(new { cmd = "emit", name = "hello", args = new object?[] { "world", 1, 2.5, -7, new { a = new object?[] { true, null, "é" } }, new Dictionary<string, string> { ["$bin"] = "AAEC" } } }, "emitted");
        var node = await pair.Tap.NextAsync("socket.io#/#", from);
        pair.DotNet.IO.Emit("hello", "world", 1, 2.5, -7, new { a = new object?[] { true, null, "é" } }, new byte[] { 0, 1, 2 });
        var dotnet = await pair.Tap.NextAsync("socket.io#/#", from, p => !p.SequenceEqual(node));
        Assert.Equal(Convert.ToHexString(AfterUid(node)), Convert.ToHexString(AfterUid(dotnet)));
    }

    [Fact]
    public async Task A_broadcast_to_one_room_but_some_goes_on_that_rooms_channel_with_the_same_bytes()
    {
        await using var pair = await Pair.StartAsync(redis);
        var from = pair.Tap.Messages.Count;
        await pair.Node.AskAsync(new { cmd = "emit", name = "room-news", args = new object[] { 3 }, to = new[] { "lobby" }, except = new[] { "muted", "banned" } }, "emitted");
        var node = await pair.Tap.NextAsync("socket.io#/#lobby#", from);
        pair.DotNet.IO.To("lobby").Except("muted").Except("banned").Emit("room-news", 3);
        var dotnet = await pair.Tap.NextAsync("socket.io#/#lobby#", from, p => !p.SequenceEqual(node));
        Assert.Equal(Convert.ToHexString(AfterUid(node)), Convert.ToHexString(AfterUid(dotnet)));
    }

    [Fact]
    public async Task Requests_are_the_same_json_on_the_request_channel()
    {
        await using var pair = await Pair.StartAsync(redis);
        var node = new List<string>();
        var dotnet = new List<string>();

        var from = pair.Tap.Messages.Count;
        await pair.Node.AskAsync(new { cmd = "socketsJoin", @in = new[] { "a" }, rooms = new[] { "b", "c" } }, "done");
        node.Add(await RequestAsync(pair, from, "\"type\":2"));
        pair.DotNet.IO.In("a").SocketsJoin("b", "c");
        dotnet.Add(await RequestAsync(pair, from, "\"type\":2", pair.DotNet.Adapter.ServerId));

        from = pair.Tap.Messages.Count;
        await pair.Node.AskAsync(new { cmd = "socketsLeave", @in = new[] { "a" }, rooms = new[] { "b" } }, "done");
        node.Add(await RequestAsync(pair, from, "\"type\":3"));
        pair.DotNet.IO.In("a").SocketsLeave("b");
        dotnet.Add(await RequestAsync(pair, from, "\"type\":3", pair.DotNet.Adapter.ServerId));

        from = pair.Tap.Messages.Count;
        await pair.Node.AskAsync(new { cmd = "disconnectSockets", @in = new[] { "a" }, close = true }, "done");
        node.Add(await RequestAsync(pair, from, "\"type\":4"));
        pair.DotNet.IO.In("a").DisconnectSockets(close: true);
        dotnet.Add(await RequestAsync(pair, from, "\"type\":4", pair.DotNet.Adapter.ServerId));

        from = pair.Tap.Messages.Count;
        await pair.Node.AskAsync(new { cmd = "serverSideEmit", name = "ping", args = new object[] { 1, "two" } }, "done");
        node.Add(await RequestAsync(pair, from, "\"type\":6"));
        pair.DotNet.IO.ServerSideEmit("ping", 1, "two");
        dotnet.Add(await RequestAsync(pair, from, "\"type\":6", pair.DotNet.Adapter.ServerId));

        from = pair.Tap.Messages.Count;
        await pair.Node.AskAsync(new { cmd = "fetchSockets", @in = new[] { "a" } }, "sockets");
        node.Add(await RequestAsync(pair, from, "\"type\":5"));
        await pair.DotNet.IO.In("a").FetchSocketsAsync().WithTimeout();
        dotnet.Add(await RequestAsync(pair, from, "\"type\":5", pair.DotNet.Adapter.ServerId));

        Assert.Equal(node.Select(Anonymous), dotnet.Select(Anonymous));
        Assert.Equal("""{"uid":"*","type":2,"opts":{"rooms":["a"],"except":[]},"rooms":["b","c"]}""", Anonymous(dotnet[0]));
    }

    [Fact]
    public async Task A_broadcast_with_acknowledgements_is_the_same_notepack_request()
    {
        await using var pair = await Pair.StartAsync(redis);
        var from = pair.Tap.Messages.Count;
        await pair.Node.AskAsync(new { cmd = "emitWithAck", name = "q", args = new object[] { "?" }, timeoutMs = 1500 }, "acks");
        var node = await pair.Tap.NextAsync("socket.io-request#/#", from, p => p[0] != (byte)'{');
        var answered = pair.DotNet.IO.Timeout(TimeSpan.FromMilliseconds(1500)).EmitWithAckAsync("q", "?");
        var dotnet = await pair.Tap.NextAsync("socket.io-request#/#", from, p => p[0] != (byte)'{' && !p.SequenceEqual(node));
        await answered.WithTimeout();
        Assert.Equal(Convert.ToHexString(AfterUidAndRequestId(node)), Convert.ToHexString(AfterUidAndRequestId(dotnet)));
    }

    /// <summary>The bytes of <c>[uid, packet, opts]</c> after the uid.</summary>
    private static byte[] AfterUid(byte[] message)
    {
        var reader = new MessagePackReader(message);
        Assert.Equal(3, reader.ReadArrayHeader());
        reader.ReadString();
        return message[(int)reader.Consumed..];
    }

    /// <summary>The bytes of <c>{uid, requestId, type, packet, opts}</c> after the request id.</summary>
    private static byte[] AfterUidAndRequestId(byte[] message)
    {
        var reader = new MessagePackReader(message);
        Assert.Equal(5, reader.ReadMapHeader());
        Assert.Equal("uid", reader.ReadString());
        reader.ReadString();
        Assert.Equal("requestId", reader.ReadString());
        reader.ReadString();
        return message[(int)reader.Consumed..];
    }

    private static async Task<string> RequestAsync(Pair pair, int from, string containing, string? uid = null)
    {
        var payload = await pair.Tap.NextAsync("socket.io-request#/#", from, p =>
        {
            var text = Encoding.UTF8.GetString(p);
            return text.Contains(containing, StringComparison.Ordinal) && (uid is null ? !text.Contains(pair.DotNet.Adapter.ServerId, StringComparison.Ordinal) : text.Contains(uid, StringComparison.Ordinal));
        });
        return Encoding.UTF8.GetString(payload);
    }

    private static string Anonymous(string json) => RequestIdPattern().Replace(UidPattern().Replace(json, "\"uid\":\"*\""), "\"requestId\":\"*\"");

    [GeneratedRegex("\"uid\":\"[^\"]*\"")]
    private static partial Regex UidPattern();

    [GeneratedRegex("\"requestId\":\"[^\"]*\"")]
    private static partial Regex RequestIdPattern();

    private sealed class Pair : IAsyncDisposable
    {
        private Pair(ClusterServer dotNet, NodeWitness node, RedisTap tap)
        {
            DotNet = dotNet;
            Node = node;
            Tap = tap;
        }

        public ClusterServer DotNet { get; }

        public NodeWitness Node { get; }

        public RedisTap Tap { get; }

        public static async Task<Pair> StartAsync(RedisServer redis)
        {
            var tap = await RedisTap.StartAsync(redis);
            var dotNet = await ClusterServer.StartAsync(redis.Configuration);
            var (node, _) = await NodeWitness.StartServerAsync(redis);
            await dotNet.WaitForServersAsync(2);
            return new Pair(dotNet, node, tap);
        }

        public async ValueTask DisposeAsync()
        {
            await Node.DisposeAsync();
            await DotNet.DisposeAsync();
            await Tap.DisposeAsync();
        }
    }
}
