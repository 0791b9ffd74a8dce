using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using OpenChat.SocketIO.Tests.Infrastructure;
using OpenChat.SocketIO.Tests.SocketIO.Recovery;

namespace OpenChat.SocketIO.Tests.Clients;

/// <summary>
/// Connection state recovery with the official client (socket.io-client 4.8.1 under Node, tests/node): it keeps
/// the pid and the last offset by itself and sends them when it reconnects; <c>socket.recovered</c> says how that
/// went. Over WebSocket and over polling.
/// </summary>
public sealed class NodeRecoveryTests
{
    public static TheoryData<string> Transports => new() { "websocket", "polling" };

    private readonly ServerSockets _sockets = new();

    private Task<TestHost> StartAsync(Action<ConnectionStateRecoveryOptions>? recovery = null, Action<SocketIOServer>? more = null, TimeProvider? time = null) =>
        TestHost.StartAsync(
            o =>
            {
                o.ConnectionStateRecovery = new ConnectionStateRecoveryOptions();
                recovery?.Invoke(o.ConnectionStateRecovery);
            },
            io =>
            {
                more?.Invoke(io);
                io.On("connection", socket =>
                {
                    if (!socket.Recovered)
                    {
                        socket.Join("room1");
                    }

                    _sockets.Track(socket);
                });
            },
            services: s =>
            {
                if (time is not null)
                {
                    s.AddSingleton(time);
                }
            });

    private static NodeScript StartClient(TestHost host, string transports) =>
        NodeScript.Start("puppet.js", new { url = host.BaseUri.ToString(), transports, clients = new { a = new { } } });

    /// <summary>Connects the client and gives it one broadcast, so it holds an offset; returns its first connect line.</summary>
    private async Task<(JsonElement Connect, SocketIOSocket Socket)> ConnectAsync(TestHost host, NodeScript node)
    {
        var connect = await node.WaitForAsync("connect");
        var socket = await _sockets.NextAsync();
        Assert.False(connect.GetProperty("recovered").GetBoolean());
        host.IO.Emit("before", 0);
        await node.WaitForAsync("received", l => Name(l) == "before");
        return (connect, socket);
    }

    /// <summary>The client loses its connection and stays away until told.</summary>
    private async Task DropAsync(NodeScript node, SocketIOSocket socket)
    {
        await node.SendAsync(new { cmd = "drop", client = "a", stayAway = true });
        await node.WaitForAsync("disconnect");
        Assert.True(DisconnectReasons.IsRecoverable(await _sockets.DisconnectedAsync(socket)));
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task After_its_transport_is_killed_the_client_recovers_its_session_and_gets_what_it_missed_once_and_in_order(string transports)
    {
        await using var host = await StartAsync();
        await using var node = StartClient(host, transports);
        var (first, socket) = await ConnectAsync(host, node);
        await DropAsync(node, socket);

        host.IO.Emit("missed", 1);
        host.IO.To("room1").Emit("missed", 2, new { text = "in room1" });
        host.IO.To("room2").Emit("not for it", 3);
        host.IO.Emit("missed", 3);
        await node.SendAsync(new { cmd = "reconnect", client = "a" });
        var back = await node.WaitForAsync("connect");
        var recovered = await _sockets.NextAsync();
        host.IO.Emit("live", 4);
        await node.WaitForAsync("received", l => Name(l) == "live");

        Assert.True(back.GetProperty("recovered").GetBoolean());
        Assert.Equal(first.GetProperty("id").GetString(), back.GetProperty("id").GetString());
        Assert.True(recovered.Recovered);
        Assert.Equal(socket.Id, recovered.Id);

        // What it received after the drop, as its handlers saw it: each missed event once, in order, before "connect".
        var after = node.History.SkipWhile(l => !NodeScript.Is(l, "disconnect")).ToList();
        var received = after.Where(l => NodeScript.Is(l, "received")).Select(l => $"{Name(l)} {l.GetProperty("args")[0].GetRawText()}").ToList();
        Assert.Equal(["missed 1", "missed 2", "missed 3", "live 4"], received);
        Assert.True(after.FindIndex(l => NodeScript.Is(l, "connect")) > after.FindLastIndex(l => NodeScript.Is(l, "received") && Name(l) == "missed"));
        Assert.Equal("in room1", after.First(l => NodeScript.Is(l, "received") && l.GetProperty("args")[0].GetInt32() == 2).GetProperty("args")[1].GetProperty("text").GetString());
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task When_the_server_closes_the_connection_the_client_reconnects_by_itself_and_recovers(string transports)
    {
        await using var host = await StartAsync();
        await using var node = StartClient(host, transports);
        var (first, socket) = await ConnectAsync(host, node);

        socket.Engine.Close();
        host.IO.Emit("right after", 1);

        var back = await node.WaitForAsync("connect");

        // Missed packets come before the CONNECT reply; the client hands them to its handlers before "connect".
        Assert.Single(node.History, l => NodeScript.Is(l, "received") && Name(l) == "right after");
        Assert.Equal(DisconnectReasons.ForcedClose, await _sockets.DisconnectedAsync(socket));
        Assert.True(back.GetProperty("recovered").GetBoolean());
        Assert.Equal(first.GetProperty("id").GetString(), back.GetProperty("id").GetString());
        host.IO.Emit("live", 2);
        await node.WaitForAsync("received", l => Name(l) == "live");
        Assert.Single(node.History, l => NodeScript.Is(l, "received") && Name(l) == "right after");
    }

    [Theory]
    [InlineData("expired")]
    [InlineData("evicted")]
    public async Task When_the_session_cannot_be_recovered_the_client_gets_a_new_one_and_recovered_is_false(string why)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await StartAsync(r => r.MaxRetainedPackets = 2, time: time);
        await using var node = StartClient(host, "websocket");
        var (first, socket) = await ConnectAsync(host, node);
        await DropAsync(node, socket);
        if (why == "expired")
        {
            time.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromMilliseconds(1));
        }
        else
        {
            // With room for two, "one" goes when "three" comes: the client missed a packet no longer kept.
            host.IO.Emit("one");
            host.IO.Emit("two");
            host.IO.Emit("three");
        }

        await node.SendAsync(new { cmd = "reconnect", client = "a" });
        var back = await node.WaitForAsync("connect");

        Assert.False(back.GetProperty("recovered").GetBoolean());
        Assert.NotEqual(first.GetProperty("id").GetString(), back.GetProperty("id").GetString());
        var fresh = await _sockets.NextAsync();
        Assert.False(fresh.Recovered);
        Assert.Equal(new HashSet<string> { fresh.Id, "room1" }, fresh.Rooms);
        Assert.DoesNotContain(node.History, l => NodeScript.Is(l, "received") && Name(l) is "one" or "two" or "three");
    }

    [Fact]
    public async Task Without_SkipMiddlewares_the_middleware_decides_again_and_a_refused_client_hears_why_and_nothing_it_missed()
    {
        var calls = 0;
        await using var host = await StartAsync(
            r => r.SkipMiddlewares = false,
            io => io.Use(socket => Interlocked.Increment(ref calls) == 1 ? ValueTask.CompletedTask : throw new ConnectionRefusedException("session revoked")));
        await using var node = StartClient(host, "websocket");
        var (_, socket) = await ConnectAsync(host, node);
        await DropAsync(node, socket);
        host.IO.Emit("missed");

        await node.SendAsync(new { cmd = "reconnect", client = "a" });
        var refused = await node.WaitForAsync("connect_error");

        Assert.Equal("session revoked", refused.GetProperty("message").GetString());
        Assert.Equal(2, calls);
        Assert.DoesNotContain(node.History, l => NodeScript.Is(l, "received") && Name(l) == "missed");
    }

    private static string? Name(JsonElement line) => line.GetProperty("name").GetString();
}
