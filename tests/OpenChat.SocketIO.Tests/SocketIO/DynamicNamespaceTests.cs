using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using OpenChat.SocketIO.Tests.Clients;
using OpenChat.SocketIO.Tests.Infrastructure;

namespace OpenChat.SocketIO.Tests.SocketIO;

/// <summary>Dynamic namespaces (Node's <c>io.of(regex)</c> and <c>io.of(fn)</c>) with the official client.</summary>
public sealed class DynamicNamespaceTests
{
    [Fact]
    public async Task Namespaces_matching_a_pattern_are_created_as_clients_ask_with_the_parents_middleware_and_handlers()
    {
        ParentNamespace? teams = null;
        var created = new ConcurrentQueue<string>();
        await using var host = await TestHost.StartAsync(handlers: io =>
        {
            io.NamespaceCreated += ns => created.Enqueue(ns.Name);
            teams = io.Of(new Regex(@"^/team-\d+$"));
            teams.Use(socket => socket.Handshake.GetAuthString("member") == "yes"
                ? ValueTask.CompletedTask
                : throw new ConnectionRefusedException("members only"));
            teams.On("connection", socket =>
            {
                socket.Emit("welcome", socket.Namespace.Name);
                socket.On("who", ctx => ctx.Ack(ctx.Socket.Namespace.SocketCount));
            });
        });
        await using var node = NodeScript.Start("puppet.js", new
        {
            url = host.BaseUri.ToString(),
            transports = "websocket",
            clients = new
            {
                a = new { @namespace = "/team-1", auth = new { member = "yes" } },
                b = new { @namespace = "/team-2", auth = new { member = "yes" } },
                c = new { @namespace = "/team-1", auth = new { member = "yes" } },
                outsider = new { @namespace = "/team-3", auth = new { member = "no" } },
                lost = new { @namespace = "/elsewhere", auth = new { member = "yes" } },
            },
        });

        var lines = await node.CollectUntilAsync(
            seen => seen.Count(l => NodeScript.Is(l, "received")) == 3 && seen.Count(l => NodeScript.Is(l, "connect_error")) == 2,
            "three welcomes and two refusals");

        Assert.Equal(
            ["a /team-1", "b /team-2", "c /team-1"],
            lines.Where(l => NodeScript.Is(l, "received")).Select(l => $"{l.GetProperty("client").GetString()} {l.GetProperty("args")[0].GetString()}").Order(StringComparer.Ordinal).ToArray());
        var refusals = lines.Where(l => NodeScript.Is(l, "connect_error")).ToDictionary(l => l.GetProperty("client").GetString()!, l => l.GetProperty("message").GetString());
        Assert.Equal("members only", refusals["outsider"]);
        Assert.Equal("Invalid namespace", refusals["lost"]);
        await node.SendAsync(new { cmd = "emit", client = "a", name = "who", ack = true });
        Assert.Equal(2, (await node.WaitForAsync("ack")).GetProperty("args")[0].GetInt32());

        // A child is an ordinary namespace, and the parent reaches all of them.
        Assert.Equal(["/team-1", "/team-2", "/team-3"], teams!.Children.Select(c => c.Name).Order(StringComparer.Ordinal).ToArray());
        Assert.Same(teams, host.IO.Of("/team-1").Parent);
        Assert.Equal(["/team-1", "/team-2", "/team-3"], created.Order(StringComparer.Ordinal).ToArray());
        teams.Emit("all-teams", 1);
        var all = await node.CollectUntilAsync(seen => seen.Count(l => NodeScript.Is(l, "received") && l.GetProperty("name").GetString() == "all-teams") == 3, "the parent's emit");
        Assert.Equal(["a", "b", "c"], all.Where(l => NodeScript.Is(l, "received")).Select(l => l.GetProperty("client").GetString()!).Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public async Task A_predicate_that_awaits_decides_from_the_name_and_the_handshake_and_a_failing_one_refuses()
    {
        await using var host = await TestHost.StartAsync(handlers: io =>
        {
            io.Of(async (name, handshake) =>
            {
                await Task.Yield();
                if (name == "/user-broken")
                {
                    throw new InvalidOperationException("lookup failed");
                }

                return name.StartsWith("/user-", StringComparison.Ordinal) && handshake.GetAuthString("user") == name["/user-".Length..];
            }).On("connection", socket => socket.Emit("mine", socket.Namespace.Name));
        });
        await using var node = NodeScript.Start("puppet.js", new
        {
            url = host.BaseUri.ToString(),
            transports = "websocket",
            clients = new
            {
                ana = new { @namespace = "/user-ana", auth = new { user = "ana" } },
                // Another user's namespace that nobody created yet: as in Node, a predicate decides only
                // while the child does not exist, so ana's own one would admit whoever came after her.
                intruder = new { @namespace = "/user-cat", auth = new { user = "ben" } },
                broken = new { @namespace = "/user-broken", auth = new { user = "broken" } },
            },
        });

        var lines = await node.CollectUntilAsync(
            seen => seen.Any(l => NodeScript.Is(l, "received")) && seen.Count(l => NodeScript.Is(l, "connect_error")) == 2,
            "ana's namespace and two refusals");

        var mine = Assert.Single(lines, l => NodeScript.Is(l, "received"));
        Assert.Equal("ana", mine.GetProperty("client").GetString());
        Assert.Equal("/user-ana", mine.GetProperty("args")[0].GetString());
        Assert.All(lines.Where(l => NodeScript.Is(l, "connect_error")), l => Assert.Equal("Invalid namespace", l.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task With_cleanup_an_emptied_child_namespace_is_removed_and_created_again_for_the_next_client()
    {
        var connections = 0;
        ParentNamespace? rooms = null;
        await using var host = await TestHost.StartAsync(
            configure: o => o.CleanupEmptyChildNamespaces = true,
            handlers: io =>
            {
                rooms = io.Of(new Regex("^/room-"));
                rooms.On("connection", _ => Interlocked.Increment(ref connections));
            });
        await using var node = NodeScript.Start("chat-clients.js", new { url = host.BaseUri.ToString(), timeoutMs = 30_000 });

        await node.SendAsync(new { cmd = "connect", client = "a", @namespace = "/room-1", transports = new[] { "websocket" } });
        await node.WaitForAsync("connect");
        var first = host.IO.Of("/room-1");
        Assert.Same(rooms, first.Parent);
        await node.SendAsync(new { cmd = "disconnect", client = "a" });
        await host.WaitUntilAsync(() => rooms!.Children.Count == 0 && !host.IO.Namespaces.Any(n => n.Name == "/room-1"));

        await node.SendAsync(new { cmd = "connect", client = "b", @namespace = "/room-1", transports = new[] { "websocket" } });
        await node.WaitForAsync("connect", l => l.GetProperty("client").GetString() == "b");
        var second = Assert.Single(rooms!.Children);
        Assert.NotSame(first, second);
        Assert.Equal(1, second.SocketCount);
        Assert.Equal(2, connections);
    }
}
