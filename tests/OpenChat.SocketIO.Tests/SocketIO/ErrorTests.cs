using System.Text.Json;
using Microsoft.Extensions.Logging;
using OpenChat.SocketIO.Tests.Clients;
using OpenChat.SocketIO.Tests.Hardening;
using OpenChat.SocketIO.Tests.Infrastructure;

namespace OpenChat.SocketIO.Tests.SocketIO;

/// <summary>
/// No silent failures: what middleware and handlers throw reaches the client (a connect_error; an error
/// acknowledgement when asked for) and the log (with the socket, namespace and event).
/// </summary>
public sealed class ErrorTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Any_exception_in_namespace_middleware_reaches_the_client_at_once_as_a_connect_error_with_its_message(bool afterAnAwait)
    {
        var logs = new LogCapture();
        await using var host = await HardeningHost.StartAsync(logs, handlers: io => io.Use(async _ =>
        {
            if (afterAnAwait)
            {
                await Task.Yield();
            }

            throw new InvalidOperationException("the account store is unreachable");
        }));

        var lines = await NodeScript.RunAsync("connect.js", new { url = host.BaseUri.ToString(), transports = "websocket" });

        Assert.DoesNotContain(lines, l => NodeScript.Is(l, "connect"));
        var error = Assert.Single(lines, l => NodeScript.Is(l, "connect_error"));
        Assert.Equal("the account store is unreachable", error.GetProperty("message").GetString());
        Assert.Equal(JsonValueKind.Null, error.GetProperty("data").ValueKind);
        Assert.False(error.GetProperty("active").GetBoolean());
        var logged = Assert.Single(logs.Entries, e => e.EventId.Name == "MiddlewareFailed");
        Assert.Equal(LogLevel.Debug, logged.Level);
        Assert.IsType<InvalidOperationException>(logged.Exception);
        Assert.Equal(0, host.IO.MainNamespace.SocketCount);
    }

    [Fact]
    public async Task A_handler_exception_is_logged_at_error_with_the_socket_namespace_and_event_in_a_log_scope()
    {
        var logs = new LogCapture();
        await using var host = await HardeningHost.StartAsync(logs, handlers: io => io.Of("/orders").On("connection", socket =>
            socket.On("place", ctx =>
            {
                // A line the handler writes itself carries the same scope.
                ctx.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Orders").LogInformation("placing an order");
                throw new InvalidOperationException("stock service failed");
            })));
        await using var node = NodeScript.Start("puppet.js", new { url = host.BaseUri.ToString(), transports = "websocket", clients = new { a = new { @namespace = "/orders" } } });
        var id = (await node.WaitForAsync("connect")).GetProperty("id").GetString()!;

        await node.SendAsync(new { cmd = "emit", client = "a", name = "place", args = new[] { 1 } });

        await host.WaitUntilAsync(() => logs.Faults.Count > 0);
        var fault = Assert.Single(logs.Faults);
        Assert.Equal("HandlerFailed", fault.EventId.Name);
        Assert.Equal($"Socket {id} on /orders: the handler of place threw.", fault.Message);
        Assert.Equal("stock service failed", fault.Exception?.Message);
        Assert.Contains($"SocketId:{id} Namespace:/orders Event:place", fault.Scopes);
        var own = Assert.Single(logs.Entries, e => e.Message == "placing an order");
        Assert.Contains($"SocketId:{id} Namespace:/orders Event:place", own.Scopes);
    }

    [Fact]
    public async Task With_acknowledged_errors_a_handler_exception_answers_the_clients_ack_with_its_message()
    {
        await using var host = await TestHost.StartAsync(
            configure: o => o.AcknowledgeHandlerErrors = true,
            handlers: io => io.On("connection", socket =>
            {
                socket.On("fail", async _ =>
                {
                    await Task.Yield();
                    throw new InvalidOperationException("could not save");
                });
                socket.On("count", ctx => ctx.Ack(ctx.Arguments.Get<int>(0) + 1));
                socket.On("ack-then-fail", ctx =>
                {
                    ctx.Ack("done");
                    throw new InvalidOperationException("after the answer");
                });
            }));
        await using var node = NodeScript.Start("puppet.js", new { url = host.BaseUri.ToString(), transports = "websocket", clients = new { a = new { } } });
        await node.WaitForAsync("connect");

        await node.SendAsync(new { cmd = "emit", client = "a", name = "fail", ack = true });
        Assert.Equal("""[{"error":"could not save"}]""", (await node.WaitForAsync("ack")).GetProperty("args").GetRawText());

        // A typed read that cannot convert is the client's mistake, told back the same way.
        await node.SendAsync(new { cmd = "emit", client = "a", name = "count", args = new[] { "abc" }, ack = true });
        Assert.Equal("""[{"error":"Argument 0 (a string, \"abc\") cannot be read as Int32."}]""", (await node.WaitForAsync("ack")).GetProperty("args").GetRawText());
        await node.SendAsync(new { cmd = "emit", client = "a", name = "count", args = new[] { 7.5 }, ack = true });
        Assert.Contains("cannot be read as Int32", (await node.WaitForAsync("ack")).GetProperty("args")[0].GetProperty("error").GetString(), StringComparison.Ordinal);

        await node.SendAsync(new { cmd = "emit", client = "a", name = "ack-then-fail", ack = true });
        Assert.Equal("""["done"]""", (await node.WaitForAsync("ack")).GetProperty("args").GetRawText());
        await AssertQuietAsync(node);
    }

    [Fact]
    public async Task Without_acknowledged_errors_a_failing_handler_sends_nothing_and_bad_arguments_log_at_debug_only()
    {
        var logs = new LogCapture();
        await using var host = await HardeningHost.StartAsync(logs, handlers: io => io.On("connection", socket =>
            socket.On("count", ctx => ctx.Ack(ctx.Arguments.Get<int>(0) + 1))));
        await using var node = NodeScript.Start("puppet.js", new { url = host.BaseUri.ToString(), transports = "websocket", clients = new { a = new { } } });
        await node.WaitForAsync("connect");

        await node.SendAsync(new { cmd = "emit", client = "a", name = "count", args = new[] { "abc" }, ack = true });

        await host.WaitUntilAsync(() => logs.Entries.Any(e => e.EventId.Name == "BadEventArguments"));
        var entry = Assert.Single(logs.Entries, e => e.EventId.Name == "BadEventArguments");
        Assert.Equal(LogLevel.Debug, entry.Level);
        Assert.Contains("cannot be read as Int32", entry.Message, StringComparison.Ordinal);
        logs.AssertNoFaults();
        await AssertQuietAsync(node);
        await node.SendAsync(new { cmd = "emit", client = "a", name = "count", args = new[] { 41 }, ack = true });
        Assert.Equal(42, (await node.WaitForAsync("ack")).GetProperty("args")[0].GetInt32());
    }

    private static async Task AssertQuietAsync(NodeScript node)
    {
        await node.SendAsync(new { cmd = "quiet", ms = 300 });
        var lines = await node.CollectUntilAsync(seen => NodeScript.Is(seen[^1], "quiet"), "the end of the quiet period");
        Assert.DoesNotContain(lines, l => NodeScript.Is(l, "ack"));
    }
}
