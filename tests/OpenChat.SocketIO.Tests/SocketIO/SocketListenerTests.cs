using System.Collections.Concurrent;
using System.Text.Json;
using OpenChat.SocketIO.Tests.Clients;
using OpenChat.SocketIO.Tests.Infrastructure;

namespace OpenChat.SocketIO.Tests.SocketIO;

/// <summary>
/// Node's socket listener API with the official client: <c>once</c>, <c>off</c>, <c>offAny</c>, per-packet
/// middleware (<c>socket.use</c> and the <c>error</c> it raises) and <c>onAnyOutgoing</c>.
/// </summary>
public sealed class SocketListenerTests
{
    [Fact]
    public async Task A_once_handler_answers_the_first_event_only_and_off_removes_a_handler_or_every_handler()
    {
        await using var host = await TestHost.StartAsync(handlers: io => io.On("connection", socket =>
        {
            socket.Once("first", ctx => ctx.Ack("first time"));
            Action<EventContext> counted = ctx => ctx.Ack("counted");
            socket.On("count", counted);
            socket.On("stop-counting", ctx =>
            {
                ctx.Ack(socket.Off("count", counted), socket.Off("count", counted));
            });
            socket.On("many", ctx => ctx.Ack("one"));
            socket.On("many", ctx => ctx.Ack("two"));
            socket.On("silence-many", ctx =>
            {
                socket.Off("many");
                ctx.Ack();
            });
        }));
        await using var node = Puppet(host);
        await node.WaitForAsync("connect");

        Assert.Equal("first time", (await EmitAsync(node, "first")).GetProperty("args")[0].GetString());
        await AssertUnansweredAsync(node, "first");

        Assert.Equal("counted", (await EmitAsync(node, "count")).GetProperty("args")[0].GetString());
        var removed = await EmitAsync(node, "stop-counting");
        Assert.Equal("[true,false]", removed.GetProperty("args").GetRawText());
        await AssertUnansweredAsync(node, "count");

        // Two handlers: the first answers (an event is acknowledged once).
        Assert.Equal("one", (await EmitAsync(node, "many")).GetProperty("args")[0].GetString());
        await EmitAsync(node, "silence-many");
        await AssertUnansweredAsync(node, "many");
    }

    [Fact]
    public async Task Catch_all_handlers_see_every_event_first_and_off_any_removes_them()
    {
        var seen = new ConcurrentQueue<string>();
        await using var host = await TestHost.StartAsync(handlers: io => io.On("connection", socket =>
        {
            Action<EventContext> any = ctx => seen.Enqueue("any " + ctx.EventName);
            socket.OnAny(any);
            socket.On("hello", ctx =>
            {
                seen.Enqueue("hello");
                ctx.Ack();
            });
            socket.On("quiet-please", ctx =>
            {
                socket.OffAny(any);
                ctx.Ack();
            });
        }));
        await using var node = Puppet(host);
        await node.WaitForAsync("connect");

        await EmitAsync(node, "hello");
        await EmitAsync(node, "quiet-please");
        await EmitAsync(node, "hello");

        Assert.Equal(["any hello", "hello", "any quiet-please", "hello"], seen.ToArray());
    }

    [Fact]
    public async Task Socket_middleware_sees_each_event_before_its_handlers_and_what_it_refuses_goes_to_the_error_handlers()
    {
        var errors = new ConcurrentQueue<string>();
        var handled = new ConcurrentQueue<string>();
        await using var host = await TestHost.StartAsync(
            configure: o => o.AcknowledgeHandlerErrors = true,
            handlers: io => io.On("connection", socket =>
            {
                socket.Use(async (ctx, next) =>
                {
                    if (ctx.EventName.StartsWith("admin:", StringComparison.Ordinal))
                    {
                        throw new UnauthorizedAccessException("unauthorized event");
                    }

                    if (ctx.EventName == "ignored")
                    {
                        return;
                    }

                    handled.Enqueue("before " + ctx.EventName);
                    await next();
                    handled.Enqueue("after " + ctx.EventName);
                });
                socket.OnError(error => errors.Enqueue(error.Message));
                socket.On("admin:wipe", ctx => handled.Enqueue("wiped!"));
                socket.On("ignored", ctx => handled.Enqueue("ignored ran"));
                socket.On("chat", ctx =>
                {
                    handled.Enqueue("chat");
                    ctx.Ack("ok");
                });
            }));
        await using var node = Puppet(host);
        await node.WaitForAsync("connect");

        var refused = await EmitAsync(node, "admin:wipe");
        Assert.Equal("""[{"error":"unauthorized event"}]""", refused.GetProperty("args").GetRawText());
        await node.SendAsync(new { cmd = "emit", client = "a", name = "ignored", ack = true });
        Assert.Equal("ok", (await EmitAsync(node, "chat")).GetProperty("args")[0].GetString());
        await AssertUnansweredAsync(node, "ignored");

        Assert.Equal(["unauthorized event"], errors.ToArray());
        Assert.Equal(["before chat", "chat", "after chat"], handled.ToArray());
    }

    [Fact]
    public async Task Outgoing_listeners_see_every_event_sent_to_the_client_emitted_or_broadcast_but_not_acknowledgements()
    {
        var outgoing = new ConcurrentQueue<string>();
        var bytes = new TaskCompletionSource<byte[]?>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await TestHost.StartAsync(handlers: io => io.On("connection", socket =>
        {
            socket.Join("room");
            socket.OnAnyOutgoing((name, args) => outgoing.Enqueue($"{name} {JsonSerializer.Serialize(args.ToArray())}"));
            socket.OnAnyOutgoing((name, args) =>
            {
                if (name == "file")
                {
                    bytes.TrySetResult(args.Get<byte[]>(0));
                }
            });
            socket.OnAnyOutgoing((_, _) => throw new InvalidOperationException("a broken listener does not stop the packet"));
            socket.On("go", ctx =>
            {
                socket.Emit("direct", 1, "two");
                io.Emit("everyone", true);
                io.To("room").Emit("room", new { n = 3 });
                socket.Emit("file", new byte[] { 7, 8, 9 });
                ctx.Ack("an acknowledgement is not an outgoing event");
            });
        }));
        await using var node = Puppet(host);
        await node.WaitForAsync("connect");

        // The events were queued before the acknowledgement, so the client has them all once it is answered.
        await EmitAsync(node, "go");
        var received = node.History;

        Assert.Equal(["direct", "everyone", "room", "file"], received.Where(l => NodeScript.Is(l, "received")).Select(l => l.GetProperty("name").GetString()!).ToArray());
        Assert.Equal(new byte[] { 7, 8, 9 }, await bytes.Task.WithTimeout());
        Assert.Equal(
            ["direct [1,\"two\"]", "everyone [true]", "room [{\"n\":3}]", "file [{\"_placeholder\":true,\"num\":0}]"],
            outgoing.ToArray());
    }

    private static NodeScript Puppet(TestHost host) =>
        NodeScript.Start("puppet.js", new { url = host.BaseUri.ToString(), transports = "websocket", clients = new { a = new { } } });

    private static async Task<JsonElement> EmitAsync(NodeScript node, string name)
    {
        await node.SendAsync(new { cmd = "emit", client = "a", name, ack = true });
        return await node.WaitForAsync("ack", l => l.GetProperty("name").GetString() == name);
    }

    /// <summary>Sends the event with an ack callback and proves, for a bounded quiet period, that no answer came.</summary>
    private static async Task AssertUnansweredAsync(NodeScript node, string name)
    {
        await node.SendAsync(new { cmd = "emit", client = "a", name, ack = true });
        await node.SendAsync(new { cmd = "quiet", ms = 300 });
        var lines = await node.CollectUntilAsync(seen => NodeScript.Is(seen[^1], "quiet"), "the end of the quiet period");
        Assert.DoesNotContain(lines, l => NodeScript.Is(l, "ack") && l.GetProperty("name").GetString() == name);
    }
}
