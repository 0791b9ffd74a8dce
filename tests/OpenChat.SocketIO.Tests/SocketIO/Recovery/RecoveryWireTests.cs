using System.Text.RegularExpressions;
using OpenChat.SocketIO.Adapters;
using OpenChat.SocketIO.Tests.Clients;
using OpenChat.SocketIO.Tests.Infrastructure;

namespace OpenChat.SocketIO.Tests.SocketIO.Recovery;

/// <summary>
/// The recovery wire format compared with Node's: one script of raw packets played against the Node reference
/// server (socket.io 4.8.1 with <c>connectionStateRecovery</c>, tests/node-cluster) and against this server,
/// frame by frame. Ids and offsets differ by nature, so each is replaced by a token naming it (the same id gets
/// the same token), and offsets are checked to be offsets of now.
/// </summary>
public sealed class RecoveryWireTests
{
    private static readonly Regex Offset = new("\"([0-9A-Za-z_-]+(?:\\.[0-9A-Za-z_-]+)?)\"\\]$", RegexOptions.CultureInvariant);

    [Fact]
    public async Task The_connect_reply_the_offsets_and_the_replay_of_a_recovered_session_are_those_of_node_byte_for_byte()
    {
        IReadOnlyList<string> node, ours;
        await using (var witness = await NodeServer.StartAsync())
        {
            node = await PlayAsync(witness);
        }

        await using (var server = await OurServer.StartAsync())
        {
            ours = await PlayAsync(server);
        }

        Assert.Equal(node, ours);
        Assert.Equal(
            [
                "40{\"sid\":\"<id1>\",\"pid\":\"<id2>\"}",
                "42[\"a\",1,{\"x\":\"y\"},\"text\",\"<offset>\"]",
                "451-[\"bin\",{\"_placeholder\":true,\"num\":0},\"<offset>\"]",
                "<binary 010203>",
                "42[\"direct\",\"x\",\"<offset>\"]",
                "-- back --",
                "42[\"direct\",\"x\",\"<offset>\"]",
                "42[\"to r\",2,\"<offset>\"]",
                "42[\"everyone\",\"<offset>\"]",
                "451-[\"bin again\",{\"_placeholder\":true,\"num\":0},\"after\",\"<offset>\"]",
                "<binary 0405>",
                "40{\"sid\":\"<id1>\",\"pid\":\"<id2>\"}",
            ],
            ours);
    }

    /// <summary>The script: a client in room r gets broadcasts, loses its connection, and comes back.</summary>
    private static async Task<IReadOnlyList<string>> PlayAsync(IWitness server)
    {
        var seen = new List<string>();
        var tokens = new Dictionary<string, string>(StringComparer.Ordinal);
        string lastOffset;
        string sid, pid;
        await using (var first = await RecoveryClient.ConnectAsync(server.Host, new { rooms = new[] { "r" } }))
        {
            (sid, pid) = (first.Sid, first.Pid!);
            Record(seen, tokens, first.Reply);
            await server.EmitAsync("a", [1, new { x = "y" }, "text"]);
            Record(seen, tokens, (await first.Ws.ReceiveAsync()).ToString());
            await server.EmitAsync("bin", [new { bytes = new Dictionary<string, string> { ["$bin"] = "AQID" } }]);
            var binText = (await first.Ws.ReceiveAsync()).ToString();
            lastOffset = Offset.Match(binText).Groups[1].Value;
            Record(seen, tokens, binText);
            Record(seen, tokens, (await first.Ws.ReceiveAsync()).ToString());
            await server.DirectAsync(sid, "direct", ["x"]);
            Record(seen, tokens, (await first.Ws.ReceiveAsync()).ToString());
        }

        await server.DisconnectedAsync(sid);
        await server.EmitAsync("to r", [2], to: ["r"]);
        await server.EmitAsync("everyone", []);
        await server.EmitAsync("to other", [3], to: ["other"]);
        await server.EmitAsync("except r", [4], except: ["r"]);
        await server.EmitAsync("volatile", [5], isVolatile: true);
        await server.EmitAsync("bin again", [new Dictionary<string, string> { ["$bin"] = "BAU=" }, "after"]);

        var back = await RecoveryClient.ComeBackAsync(server.Host, pid, lastOffset);
        await using (back)
        {
            seen.Add("-- back --");
            foreach (var before in back.Before)
            {
                Record(seen, tokens, before);
            }

            Record(seen, tokens, back.Reply);
            Assert.Equal(sid, back.Sid);
        }

        return seen;
    }

    private static void Record(List<string> seen, Dictionary<string, string> tokens, string frame)
    {
        foreach (Match id in Regex.Matches(frame, "\"(?:sid|pid)\":\"([A-Za-z0-9_-]{20})\""))
        {
            var value = id.Groups[1].Value;
            if (!tokens.ContainsKey(value))
            {
                tokens[value] = $"<id{tokens.Count + 1}>";
            }
        }

        foreach (var (value, token) in tokens)
        {
            frame = frame.Replace(value, token, StringComparison.Ordinal);
        }

        var offset = Offset.Match(frame);
        if (offset.Success && PacketOffset.TryParse(offset.Groups[1].Value, out var parsed)
            && Math.Abs(parsed.Millis - DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()) < 600_000)
        {
            frame = frame[..offset.Groups[1].Index] + "<offset>" + frame[(offset.Groups[1].Index + offset.Groups[1].Length)..];
        }

        seen.Add(frame);
    }

    private interface IWitness : IAsyncDisposable
    {
        Uri Host { get; }

        Task EmitAsync(string name, object?[] args, string[]? to = null, string[]? except = null, bool isVolatile = false);

        Task DirectAsync(string id, string name, object?[] args);

        Task DisconnectedAsync(string id);
    }

    private sealed class NodeServer(NodeScript node, Uri host) : IWitness
    {
        public Uri Host => host;

        public static async Task<NodeServer> StartAsync()
        {
            var node = NodeScript.StartWitness("recovery-server.js", new { port = 0 });
            var listening = await node.WaitForAsync("listening");
            return new NodeServer(node, new Uri($"http://127.0.0.1:{listening.GetProperty("port").GetInt32()}/"));
        }

        public async Task EmitAsync(string name, object?[] args, string[]? to, string[]? except, bool isVolatile)
        {
            await node.SendAsync(new { cmd = "emit", name, args = Unwrap(args), to, except, @volatile = isVolatile });
            await node.WaitForAsync("emitted");
        }

        public async Task DirectAsync(string id, string name, object?[] args)
        {
            await node.SendAsync(new { cmd = "direct", id, name, args });
            await node.WaitForAsync("emitted");
        }

        public Task DisconnectedAsync(string id) => node.WaitForAsync("disconnect", l => l.GetProperty("id").GetString() == id);

        public ValueTask DisposeAsync() => node.DisposeAsync();

        // {"bytes": {"$bin": ...}} stands for a Buffer argument on both sides.
        private static object?[] Unwrap(object?[] args) =>
            [.. args.Select(a => a?.GetType().GetProperty("bytes")?.GetValue(a) ?? a)];
    }

    private sealed class OurServer(TestHost host, ServerSockets sockets) : IWitness
    {
        public Uri Host => host.BaseUri;

        public static async Task<OurServer> StartAsync()
        {
            var sockets = new ServerSockets();
            var host = await TestHost.StartAsync(
                o => o.ConnectionStateRecovery = new ConnectionStateRecoveryOptions(),
                io => io.On("connection", socket =>
                {
                    if (!socket.Recovered && socket.Handshake.Auth.TryGetProperty("rooms", out var rooms))
                    {
                        socket.Join(rooms.EnumerateArray().Select(r => r.GetString()!));
                    }

                    sockets.Track(socket);
                }));
            return new OurServer(host, sockets);
        }

        public Task EmitAsync(string name, object?[] args, string[]? to, string[]? except, bool isVolatile)
        {
            var op = host.IO.MainNamespace.NewOperator().To(to ?? []).Except(except ?? []);
            (isVolatile ? op.Volatile : op).Emit(name, [.. args.Select(Bytes)]);
            return Task.CompletedTask;
        }

        public Task DirectAsync(string id, string name, object?[] args)
        {
            Assert.True(host.IO.MainNamespace.TryGetSocket(id, out var socket));
            socket.Emit(name, args);
            return Task.CompletedTask;
        }

        public async Task DisconnectedAsync(string id)
        {
            // The script's only connection before it comes back.
            var socket = await sockets.NextAsync();
            Assert.Equal(id, socket.Id);
            await sockets.DisconnectedAsync(socket);
        }

        public ValueTask DisposeAsync() => host.DisposeAsync();

        private static object? Bytes(object? arg) => arg switch
        {
            Dictionary<string, string> bin when bin.TryGetValue("$bin", out var b64) => Convert.FromBase64String(b64),
            _ when arg?.GetType().GetProperty("bytes")?.GetValue(arg) is Dictionary<string, string> bin => Convert.FromBase64String(bin["$bin"]),
            _ => arg,
        };
    }
}
