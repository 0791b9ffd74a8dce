using System.Collections.Concurrent;
using System.Text.Json;
using OpenChat.SocketIO.Tests.Clients;
using OpenChat.SocketIO.Tests.Hardening;
using OpenChat.SocketIO.Tests.Infrastructure;

namespace OpenChat.SocketIO.Tests.SocketIO;

/// <summary>
/// How handlers are scheduled, seen from the official client: one socket's events in order by default,
/// concurrently when allowed, never held by another namespace's slow handler on the same connection, and a
/// bounded backlog that stops reading from a client rather than growing.
/// </summary>
public sealed class HandlerSchedulingTests
{
    [Fact]
    public async Task By_default_a_sockets_events_run_in_order_so_a_quick_one_waits_for_a_slow_one()
    {
        var slow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var order = new ConcurrentQueue<string>();
        await using var host = await TestHost.StartAsync(handlers: io => io.On("connection", socket =>
        {
            socket.On("slow", async ctx =>
            {
                started.TrySetResult();
                await slow.Task;
                order.Enqueue("slow");
                ctx.Ack("slow done");
            });
            socket.On("quick", ctx =>
            {
                order.Enqueue("quick");
                ctx.Ack("quick done");
            });
        }));
        await using var node = Puppet(host, new { a = new { } });
        await node.WaitForAsync("connect");

        await node.SendAsync(new { cmd = "emit", client = "a", name = "slow", ack = true });
        await started.Task.WithTimeout();
        await node.SendAsync(new { cmd = "emit", client = "a", name = "quick", ack = true });
        await AssertNoAckWithinAsync(node, "quick");

        slow.SetResult();
        var acks = await node.CollectUntilAsync(lines => lines.Count(l => NodeScript.Is(l, "ack")) == 2, "both acknowledgements");
        Assert.Equal(["slow", "quick"], acks.Where(l => NodeScript.Is(l, "ack")).Select(l => l.GetProperty("name").GetString()!).ToArray());
        Assert.Equal(["slow", "quick"], order.ToArray());
    }

    [Fact]
    public async Task With_concurrent_handling_allowed_a_quick_event_is_answered_while_a_slow_one_still_runs()
    {
        var slow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await TestHost.StartAsync(
            configure: o => o.MaxConcurrentHandlersPerSocket = 4,
            handlers: io => io.On("connection", socket =>
            {
                socket.On("slow", async ctx =>
                {
                    started.TrySetResult();
                    await slow.Task;
                    ctx.Ack("slow done");
                });
                socket.On("quick", ctx => ctx.Ack("quick done"));
            }));
        await using var node = Puppet(host, new { a = new { } });
        await node.WaitForAsync("connect");

        await node.SendAsync(new { cmd = "emit", client = "a", name = "slow", ack = true });
        await started.Task.WithTimeout();
        await node.SendAsync(new { cmd = "emit", client = "a", name = "quick", ack = true });

        var quick = await node.WaitForAsync("ack");
        Assert.Equal("quick", quick.GetProperty("name").GetString());
        Assert.False(slow.Task.IsCompleted);
        slow.SetResult();
        var late = await node.WaitForAsync("ack");
        Assert.Equal("slow", late.GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_slow_handler_in_one_namespace_never_holds_the_events_of_another_namespace_on_the_same_connection()
    {
        var slow = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sockets = new ConcurrentBag<SocketIOSocket>();
        await using var host = await TestHost.StartAsync(handlers: io =>
        {
            io.On("connection", socket =>
            {
                sockets.Add(socket);
                socket.On("slow", async ctx =>
                {
                    started.TrySetResult();
                    await slow.Task;
                    ctx.Ack("slow done");
                });
            });
            io.Of("/admin").On("connection", socket =>
            {
                sockets.Add(socket);
                socket.On("status", ctx => ctx.Ack("fine"));
            });
        });

        // Two namespaces over one connection, as a page does with io(url) and io(url + "/admin").
        await using var node = Puppet(host, new { main = new { forceNew = false }, admin = new { forceNew = false, @namespace = "/admin" } });
        await node.CollectUntilAsync(lines => lines.Count(l => NodeScript.Is(l, "connect")) == 2, "both namespaces");
        Assert.Equal(1, host.IO.ConnectionCount);
        Assert.Single(sockets.Select(s => s.Engine).Distinct());

        await node.SendAsync(new { cmd = "emit", client = "main", name = "slow", ack = true });
        await started.Task.WithTimeout();
        for (var i = 0; i < 3; i++)
        {
            await node.SendAsync(new { cmd = "emit", client = "admin", name = "status", ack = true });
            var answer = await node.WaitForAsync("ack");
            Assert.Equal("admin", answer.GetProperty("client").GetString());
            Assert.Equal("fine", answer.GetProperty("args")[0].GetString());
        }

        Assert.False(slow.Task.IsCompleted);
        slow.SetResult();
        var slowAck = await node.WaitForAsync("ack");
        Assert.Equal("main", slowAck.GetProperty("client").GetString());
    }

    [Fact]
    public async Task A_full_backlog_stops_reading_from_the_client_and_every_event_is_handled_in_order_once_the_handler_catches_up()
    {
        const int Capacity = 3;
        const int Sent = 12;
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handled = new ConcurrentQueue<int>();
        var sockets = new ConnectedSockets();
        await using var host = await TestHost.StartAsync(
            configure: o => o.MaxBufferedIncomingPackets = Capacity,
            handlers: io => io.On("connection", socket =>
            {
                sockets.Track(socket);
                socket.On("n", async ctx =>
                {
                    await gate.Task;
                    handled.Enqueue(ctx.Arguments.Get<int>(0));
                    ctx.Ack();
                });
            }));
        await using var node = Puppet(host, new { a = new { } }, transports: "websocket");
        var id = (await node.WaitForAsync("connect")).GetProperty("id").GetString()!;
        var socket = await sockets.For(id).WithTimeout();
        var connection = (SocketIOConnection)socket.Engine.State!;

        for (var i = 0; i < Sent; i++)
        {
            await node.SendAsync(new { cmd = "emit", client = "a", name = "n", args = new[] { i }, ack = true });
        }

        // One handler runs, Capacity wait; the transport reads no further, so the rest stay with the client.
        await host.WaitUntilAsync(() => connection.BufferedPackets == Capacity);
        Assert.Equal(1, socket.Queue.Running);
        Assert.Empty(handled);

        gate.SetResult();
        await node.CollectUntilAsync(lines => lines.Count(l => NodeScript.Is(l, "ack")) == Sent, "every acknowledgement");
        Assert.Equal(Enumerable.Range(0, Sent), handled.ToArray());
        Assert.Equal(0, connection.BufferedPackets);
    }

    private static NodeScript Puppet(TestHost host, object clients, string transports = "polling,websocket") =>
        NodeScript.Start("puppet.js", new { url = host.BaseUri.ToString(), transports, clients });

    /// <summary>Proves a negative for a bounded quiet period: the client printed no acknowledgement of that event.</summary>
    private static async Task AssertNoAckWithinAsync(NodeScript node, string eventName)
    {
        await node.SendAsync(new { cmd = "quiet", ms = 300 });
        var lines = await node.CollectUntilAsync(seen => NodeScript.Is(seen[^1], "quiet"), "the end of the quiet period");
        Assert.DoesNotContain(lines, l => NodeScript.Is(l, "ack") && l.GetProperty("name").GetString() == eventName);
    }
}
