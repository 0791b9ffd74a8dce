using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using OpenChat.SocketIO.EngineIO;
using OpenChat.SocketIO.Tests.Infrastructure;

namespace OpenChat.SocketIO.Tests.Clients;

/// <summary>
/// The official Socket.IO JavaScript client (socket.io-client 4.8.1 under Node) against the real server,
/// over WebSocket only, polling only, and polling upgraded to WebSocket. Scripts: tests/node/scenarios.
/// </summary>
public sealed class NodeClientTests
{
    private const string Upgrade = "polling,websocket";

    public static TheoryData<string> Transports => new() { "websocket", "polling", Upgrade };

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task A_client_connects_with_auth_that_the_server_sees_in_the_handshake(string transports)
    {
        var auth = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        var reason = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await StartHostAsync(io => io.On("connection", socket =>
        {
            auth.TrySetResult(socket.Handshake.Auth.Clone());
            socket.OnDisconnect(r => reason.TrySetResult(r));
            socket.Emit("auth", socket.Handshake.Auth);
            socket.On("whoami", ctx => ctx.Ack(new { id = ctx.Socket.Id, nsp = ctx.Socket.Namespace.Name, transport = ctx.Socket.Transport }));
        }));
        var sent = Json("""{"token":"secret-token","user":{"id":7,"roles":["admin","ops"]},"remember":true}""");

        var lines = await NodeScript.RunAsync("connect.js", new { url = Url(host), transports, auth = sent, whoami = true, waitForWebSocket = transports == Upgrade });

        var connect = Single(lines, "connect");
        Assert.Contains(Text(connect, "transport"), transports.Split(','));
        AssertJsonEqual(sent, await auth.Task.WithTimeout());
        AssertJsonEqual(sent, Single(lines, "auth").GetProperty("auth"));
        var whoami = Single(lines, "whoami");
        Assert.Equal(Text(connect, "id"), Text(whoami, "id"));
        Assert.Equal(FinalTransport(transports), Text(whoami, "transport"));
        Assert.Equal(FinalTransport(transports), Text(Single(lines, "done"), "transport"));
        Assert.Equal(DisconnectReasons.ClientNamespaceDisconnect, await reason.Task.WithTimeout());
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task The_conformance_host_echoes_the_auth_on_the_main_and_the_custom_namespace(string transports)
    {
        await using var host = await TestHost.StartAsync(ConformanceHost.ConformanceApp.Build([], port: 0));
        var sent = Json("""{"token":"abc","n":[1,2,3]}""");

        foreach (var ns in new[] { "/", "/custom" })
        {
            var lines = await NodeScript.RunAsync("connect.js", new { url = Url(host), transports, auth = sent, @namespace = ns == "/" ? "" : ns, waitForWebSocket = transports == Upgrade });

            Assert.Equal(ns, Text(Single(lines, "connect"), "nsp"));
            AssertJsonEqual(sent, Single(lines, "auth").GetProperty("auth"));
            Assert.Equal(FinalTransport(transports), Text(Single(lines, "done"), "transport"));
        }
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task A_client_joins_the_custom_namespace_without_joining_the_main_one(string transports)
    {
        await using var host = await StartHostAsync(io => io.Of("/custom").On("connection", socket =>
        {
            socket.Emit("auth", socket.Handshake.Auth);
            socket.On("whoami", ctx => ctx.Ack(new
            {
                id = ctx.Socket.Id,
                nsp = ctx.Socket.Namespace.Name,
                transport = ctx.Socket.Transport,
                customSockets = io.Of("/custom").SocketCount,
                mainSockets = io.MainNamespace.SocketCount,
            }));
        }));

        var lines = await NodeScript.RunAsync("connect.js", new { url = Url(host), transports, @namespace = "/custom", auth = new { room = "c" }, whoami = true, waitForWebSocket = transports == Upgrade });

        var connect = Single(lines, "connect");
        Assert.Equal("/custom", Text(connect, "nsp"));
        AssertJsonEqual(Json("""{"room":"c"}"""), Single(lines, "auth").GetProperty("auth"));
        var whoami = Single(lines, "whoami");
        Assert.Equal(Text(connect, "id"), Text(whoami, "id"));
        Assert.Equal("/custom", Text(whoami, "nsp"));
        Assert.Equal(1, whoami.GetProperty("customSockets").GetInt32());
        Assert.Equal(0, whoami.GetProperty("mainSockets").GetInt32());
        Assert.Equal(FinalTransport(transports), Text(whoami, "transport"));
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task A_client_asking_for_an_unknown_namespace_gets_invalid_namespace(string transports)
    {
        await using var host = await StartHostAsync(_ => { });

        var lines = await NodeScript.RunAsync("connect.js", new { url = Url(host), transports, @namespace = "/nowhere" });

        Assert.DoesNotContain(lines, l => NodeScript.Is(l, "connect"));
        var error = Single(lines, "connect_error");
        Assert.Equal("Invalid namespace", Text(error, "message"));
        Assert.False(error.GetProperty("active").GetBoolean());
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task A_connection_refused_by_middleware_reaches_the_client_as_connect_error_with_message_and_data(string transports)
    {
        var admitted = false;
        await using var host = await StartHostAsync(io =>
        {
            io.Use(_ => throw new ConnectionRefusedException("not authorized", new { code = 42 }));
            io.On("connection", _ => admitted = true);
        });

        var lines = await NodeScript.RunAsync("connect.js", new { url = Url(host), transports, auth = new { token = "wrong" } });

        Assert.DoesNotContain(lines, l => NodeScript.Is(l, "connect"));
        var error = Single(lines, "connect_error");
        Assert.Equal("not authorized", Text(error, "message"));
        AssertJsonEqual(Json("""{"code":42}"""), error.GetProperty("data"));
        Assert.False(error.GetProperty("active").GetBoolean(), "the client must give up after a refusal");
        Assert.False(admitted);
        Assert.Equal(0, host.IO.MainNamespace.SocketCount);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Events_with_mixed_arguments_come_back_exactly_as_sent(string transports)
    {
        await using var host = await TestHost.StartAsync(ConformanceHost.ConformanceApp.Build([], port: 0));
        var payloads = Json("""
            [
              [1, -2.5, 0, 9007199254740991, 1.25e-7, "text", "", true, false, null, [], {},
               "h\u00e9llo \u2713 \ud83d\ude00 \"quoted\" back\\slash\nnew line\ttab \u001e separator \u0000 nul",
               [1, "two", [3, null], {"four": 4}],
               {"zeta": 1, "alpha": {"deep": {"list": [true, false, null], "empty": ""}}, "middle": [{}, []]}],
              [],
              ["just one string"]
            ]
            """);
        // Larger than a WebSocket fragment, so it reaches the client in several.
        payloads = Json($"[{payloads.GetRawText()[1..^1]}, [{JsonSerializer.Serialize(string.Concat(Enumerable.Repeat("h\u00e9llo \u2713 \ud83d\ude00 ", 4000)))}]]");

        var lines = await NodeScript.RunAsync("echo.js", new { url = Url(host), transports, payloads });

        var expected = payloads.EnumerateArray().ToList();
        foreach (var kind in new[] { "message-back", "message-with-ack" })
        {
            var echoes = lines.Where(l => NodeScript.Is(l, kind)).ToList();
            Assert.Equal(expected.Count, echoes.Count);
            for (var i = 0; i < expected.Count; i++)
            {
                AssertJsonEqual(expected[i], echoes[i].GetProperty("sent"));
                // Same text as sent (both printed by the client): values, types and key order all kept.
                Assert.Equal(echoes[i].GetProperty("sent").GetRawText(), echoes[i].GetProperty("received").GetRawText());
            }
        }
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Binary_attachments_travel_as_byte_arrays_to_the_server_and_as_buffers_to_the_client(string transports)
    {
        var upload = new TaskCompletionSource<(byte[]? First, Upload? Second, int Attachments)>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await StartHostAsync(io => io.On("connection", socket =>
        {
            socket.Emit("bin", new byte[] { 1, 2, 3 }, new { nested = new byte[] { 4, 5, 6 }, empty = Array.Empty<byte>(), text = "x" });
            socket.On("upload", ctx =>
            {
                upload.TrySetResult((ctx.Arguments.Get<byte[]>(0), ctx.Arguments.Get<Upload>(1), ctx.Arguments.Attachments.Count));
                ctx.Ack("ok", new byte[] { 9, 8, 7 });
            });
        }));

        var lines = await NodeScript.RunAsync("binary.js", new
        {
            url = Url(host),
            transports,
            upload = new object[] { Bin(0, 1, 2, 255), new { label = "pic", nested = Bin(10, 20) } },
        });

        var (first, second, attachments) = await upload.Task.WithTimeout();
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, first);
        Assert.NotNull(second);
        Assert.Equal("pic", second.Label);
        Assert.Equal(new byte[] { 10, 20 }, second.Nested);
        Assert.Equal(2, attachments);

        var bin = Single(lines, "bin");
        AssertJsonEqual(
            Json("""[{"$bin":"AQID","type":"Buffer"},{"nested":{"$bin":"BAUG","type":"Buffer"},"empty":{"$bin":"","type":"Buffer"},"text":"x"}]"""),
            bin.GetProperty("args"));
        AssertJsonEqual(Json("""["$[0]","$[1].nested","$[1].empty"]"""), bin.GetProperty("buffers"));

        var ack = Single(lines, "upload-ack");
        AssertJsonEqual(Json("""["ok",{"$bin":"CQgH","type":"Buffer"}]"""), ack.GetProperty("args"));
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Acknowledgements_work_both_ways_and_an_unanswered_one_times_out_on_the_server(string transports)
    {
        var connected = new TaskCompletionSource<SocketIOSocket>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await StartHostAsync(io => io.On("connection", socket =>
        {
            socket.On("ask", ctx => ctx.Ack(new { sum = ctx.Arguments.Get<int>(0) + ctx.Arguments.Get<int>(1) }, "thanks"));
            connected.TrySetResult(socket);
        }));
        await using var node = NodeScript.Start("acks.js", new { url = Url(host), transports, ask = new[] { 2, 3 }, answer = new object[] { "answer", 2, new { ok = true } } });
        var socket = await connected.Task.WithTimeout();

        var answer = await socket.EmitWithAckAsync("question", TimeSpan.FromSeconds(5), 1).WithTimeout();
        var unanswered = socket.EmitWithAckAsync("ignored", TimeSpan.FromMilliseconds(300), "no answer expected");
        Assert.Same(unanswered, await Task.WhenAny(unanswered, Task.Delay(TaskTimeouts.Default)));
        await Assert.ThrowsAsync<TimeoutException>(() => unanswered);
        socket.Emit("finish");
        var lines = await node.WaitForExitAsync();

        Assert.Equal(3, answer.Count);
        Assert.Equal("answer", answer.Get<string>(0));
        Assert.Equal(2, answer.Get<int>(1));
        Assert.True(answer[2].GetProperty("ok").GetBoolean());
        AssertJsonEqual(Json("[1]"), Single(lines, "question").GetProperty("args"));
        AssertJsonEqual(Json("""["no answer expected"]"""), Single(lines, "ignored").GetProperty("args"));
        AssertJsonEqual(Json("""[{"sum":5},"thanks"]"""), Single(lines, "ask-ack").GetProperty("args"));
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Broadcasts_reach_exactly_the_selected_rooms_once_each(string transports)
    {
        await using var host = await StartHostAsync(io => io.On("connection", socket =>
        {
            socket.On("join", ctx =>
            {
                ctx.Socket.Join(ctx.Arguments.Get<string>(0)!);
                ctx.Ack("joined");
            });
            socket.On("shout", ctx =>
            {
                ctx.Socket.Broadcast.Emit("news", "shout");
                ctx.Ack();
            });
            socket.On("tell-room", ctx =>
            {
                ctx.Socket.To("room").Emit("news", "tell-room");
                ctx.Ack();
            });
        }));
        await using var node = NodeScript.Start("puppet.js", new
        {
            url = Url(host),
            transports,
            clients = new { a = new { auth = new { name = "a" } }, b = new { auth = new { name = "b" } }, c = new { auth = new { name = "c" } } },
        });
        await node.CollectUntilAsync(lines => lines.Count(l => NodeScript.Is(l, "connect")) == 3, "three connections");

        // a: room, a    b: room, b    c: b
        var joins = new[] { ("a", "room"), ("a", "a"), ("b", "room"), ("b", "b"), ("c", "b") };
        foreach (var (client, room) in joins)
        {
            await node.SendAsync(new { cmd = "emit", client, name = "join", args = new[] { room }, ack = true });
        }

        await node.CollectUntilAsync(lines => lines.Count(l => NodeScript.Is(l, "ack")) == joins.Length, "the joins' acknowledgements");
        var step = 0;

        // Lines read while sending count too: a client's news may arrive before the sender's acknowledgement.
        async Task<string> Recipients(Func<Task<IReadOnlyList<JsonElement>>> send)
        {
            var during = await send();
            var mark = ++step;
            host.IO.Emit("mark", mark);
            var lines = await node.CollectUntilAsync(
                seen => seen.Count(l => IsReceived(l, "mark") && l.GetProperty("args")[0].GetInt32() == mark) == 3,
                $"mark {mark} at every client");
            return string.Join(",", during.Concat(lines).Where(l => IsReceived(l, "news")).Select(l => Text(l, "client")).Order());
        }

        Task<IReadOnlyList<JsonElement>> Server(Action send)
        {
            send();
            return Task.FromResult<IReadOnlyList<JsonElement>>([]);
        }

        async Task<IReadOnlyList<JsonElement>> FromClient(string client, string name)
        {
            await node.SendAsync(new { cmd = "emit", client, name, ack = true });
            return await node.CollectUntilAsync(
                seen => NodeScript.Is(seen[^1], "ack") && Text(seen[^1], "client") == client && Text(seen[^1], "name") == name,
                $"the acknowledgement of {client}'s {name}");
        }

        Assert.Equal("a,b", await Recipients(() => Server(() => host.IO.To("room").Emit("news", "to room"))));
        Assert.Equal("a,b,c", await Recipients(() => Server(() => host.IO.To("room").To("b").Emit("news", "union"))));
        Assert.Equal("a", await Recipients(() => Server(() => host.IO.To("room").Except("b").Emit("news", "room except b"))));
        Assert.Equal("b,c", await Recipients(() => Server(() => host.IO.Except("a").Emit("news", "all except a"))));
        Assert.Equal("b,c", await Recipients(() => FromClient("a", "shout")));
        Assert.Equal("b", await Recipients(() => FromClient("a", "tell-room")));
        Assert.Equal("a,b,c", await Recipients(() => Server(() => host.IO.Emit("news", "everyone"))));

        await node.SendAsync(new { cmd = "exit" });
        await node.WaitForExitAsync();
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task A_client_side_disconnect_reaches_the_server_as_client_namespace_disconnect(string transports)
    {
        var reason = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await StartHostAsync(io => io.On("connection", socket => socket.OnDisconnect(r => reason.TrySetResult(r))));
        await using var node = NodeScript.Start("puppet.js", new { url = Url(host), transports, clients = new { a = new { } } });
        await node.WaitForAsync("connect");

        await node.SendAsync(new { cmd = "disconnect", client = "a" });

        var disconnect = await node.WaitForAsync("disconnect");
        Assert.Equal("io client disconnect", Text(disconnect, "reason"));
        Assert.False(disconnect.GetProperty("active").GetBoolean());
        Assert.Equal(DisconnectReasons.ClientNamespaceDisconnect, await reason.Task.WithTimeout());
        Assert.Equal(0, host.IO.MainNamespace.SocketCount);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task A_server_side_disconnect_ends_the_socket_and_the_client_does_not_reconnect(string transports)
    {
        var reason = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await StartHostAsync(io => io.On("connection", socket => socket.OnDisconnect(r => reason.TrySetResult(r))));
        await using var node = NodeScript.Start("puppet.js", new { url = Url(host), transports, clients = new { a = new { } } });
        var connect = await node.WaitForAsync("connect");
        Assert.True(host.IO.MainNamespace.TryGetSocket(Text(connect, "id")!, out var socket));

        socket.Disconnect();

        var disconnect = await node.WaitForAsync("disconnect");
        Assert.Equal("io server disconnect", Text(disconnect, "reason"));
        Assert.False(disconnect.GetProperty("active").GetBoolean(), "the client must not plan to reconnect");
        Assert.Equal(DisconnectReasons.ServerNamespaceDisconnect, await reason.Task.WithTimeout());
        await AssertStaysAwayAsync(node, host, "a");
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Disconnecting_with_close_ends_every_namespace_of_the_connection_and_the_client_stays_away(string transports)
    {
        var reasons = new System.Collections.Concurrent.ConcurrentDictionary<string, string>();
        var bothGone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Track(SocketIOSocket socket) => socket.OnDisconnect(r =>
        {
            reasons[socket.Namespace.Name] = r;
            if (reasons.Count == 2)
            {
                bothGone.TrySetResult();
            }
        });
        await using var host = await StartHostAsync(io =>
        {
            io.On("connection", Track);
            io.Of("/custom").On("connection", Track);
        });

        // Two namespaces over one shared connection (the client's multiplexing).
        await using var node = NodeScript.Start("puppet.js", new
        {
            url = Url(host),
            transports,
            clients = new { main = new { forceNew = false }, custom = new { forceNew = false, @namespace = "/custom" } },
        });
        var connects = await node.CollectUntilAsync(lines => lines.Count(l => NodeScript.Is(l, "connect")) == 2, "both namespaces");
        Assert.Equal(1, host.IO.ConnectionCount);
        var mainId = connects.Single(l => NodeScript.Is(l, "connect") && Text(l, "client") == "main").GetProperty("id").GetString()!;
        Assert.True(host.IO.MainNamespace.TryGetSocket(mainId, out var socket));

        // As the reference server: a DISCONNECT for every namespace, then the connection closes. Every transport
        // must deliver those packets before the close, or the client takes it for a temporary loss and comes back.
        socket.Disconnect(close: true);

        var disconnects = await node.CollectUntilAsync(lines => lines.Count(l => NodeScript.Is(l, "disconnect")) == 2, "both disconnects");
        foreach (var disconnect in disconnects.Where(l => NodeScript.Is(l, "disconnect")))
        {
            Assert.Equal("io server disconnect", Text(disconnect, "reason"));
            Assert.False(disconnect.GetProperty("active").GetBoolean());
        }

        await bothGone.Task.WithTimeout();
        Assert.Equal(DisconnectReasons.ServerNamespaceDisconnect, reasons["/"]);
        Assert.Equal(DisconnectReasons.ServerNamespaceDisconnect, reasons["/custom"]);
        await AssertStaysAwayAsync(node, host, "main", "custom");
        Assert.Equal(0, host.IO.Of("/custom").SocketCount);
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task Stopping_the_server_sends_connected_clients_a_close_packet_before_kestrel_stops(string transports)
    {
        var probe = new ConnectionsWhenServicesStop();
        var host = await TestHost.StartAsync(handlers: _ => { }, services: probe.Register);
        Task? stopping = null;
        try
        {
            await using var node = NodeScript.Start("puppet.js", new { url = Url(host), transports, clients = new { a = new { } } });
            await node.WaitForAsync(transports == Upgrade ? "upgrade" : "connect");

            stopping = host.DisposeAsync().AsTask();

            // SocketIOShutdownService promises a close packet "while Kestrel still serves": "transport close".
            var disconnect = await node.WaitForAsync("disconnect");
            Assert.Equal("transport close", Text(disconnect, "reason"));
            Assert.True(disconnect.GetProperty("active").GetBoolean());
            await stopping.WithTimeout();
            Assert.Equal(0, probe.Count);
        }
        finally
        {
            // The client is gone by now, so nothing holds the stop up any more.
            await (stopping ?? host.DisposeAsync().AsTask()).WithTimeout();
        }
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task The_client_answers_every_ping_and_stays_connected_across_several_heartbeats(string transports)
    {
        // Virtual time on the server: a ping goes out when the test moves the clock, and the clock moves on
        // only once the client's pong is in, so no deadline depends on how busy the machine is.
        var time = new FakeTimeProvider();
        await using var host = await StartHostAsync(io => io.On("connection", s => s.On("hello", ctx => { ctx.Ack("still here"); })), time);
        await using var node = NodeScript.Start("puppet.js", new { url = Url(host), transports, clients = new { a = new { } } });
        if (transports == Upgrade)
        {
            // A poll the client sent just before it read the probe's answer waits ProbedPollGrace on the
            // server's clock before the client can finish the upgrade: the clock moves while it upgrades.
            var upgraded = node.WaitForAsync("upgrade");
            while (!upgraded.IsCompleted)
            {
                time.Advance(PollingTransport.ProbedPollGrace);
                await Task.WhenAny(upgraded, Task.Delay(50));
            }

            await upgraded;
        }
        else
        {
            await node.WaitForAsync("connect");
        }

        for (var i = 0; i < 3; i++)
        {
            time.Advance(host.IO.Options.PingInterval);
            await host.WaitUntilAsync(() => host.IO.Engine.SessionsAwaitingPong == 0);
            time.Advance(host.IO.Options.PingTimeout);
        }

        await node.SendAsync(new { cmd = "emit", client = "a", name = "hello", ack = true });
        var ack = await node.WaitForAsync("ack");
        Assert.Equal("still here", ack.GetProperty("args")[0].GetString());
        Assert.Equal(1, host.IO.ConnectionCount);
        Assert.DoesNotContain(node.History, line => NodeScript.Is(line, "disconnect"));
    }

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task The_client_reconnects_by_itself_when_the_server_restarts(string transports)
    {
        var firstApp = ConformanceHost.ConformanceApp.Build([], port: 0);
        var first = await TestHost.StartAsync(firstApp);
        var port = first.BaseUri.Port;
        var firstStopped = false;
        TestHost? second = null;
        try
        {
            await using var node = NodeScript.Start("puppet.js", new { url = Url(first), transports, clients = new { a = new { auth = new { who = "a" } } } });
            var before = await node.WaitForAsync("connect");

            // Bounded stop: how promptly the server says goodbye is Stopping_the_server_promptly_...'s concern.
            firstStopped = true;
            await StopQuicklyAsync(firstApp);

            // The server went away without a Socket.IO DISCONNECT: a temporary loss the client recovers from.
            var disconnect = await node.WaitForAsync("disconnect");
            Assert.Contains(Text(disconnect, "reason"), new[] { "transport close", "transport error", "ping timeout" });
            Assert.True(disconnect.GetProperty("active").GetBoolean(), "the client must plan to reconnect");

            second = await TestHost.StartAsync(ConformanceHost.ConformanceApp.Build([], port));
            var reconnect = await node.WaitForAsync("reconnect");
            Assert.True(reconnect.GetProperty("attempt").GetInt32() >= 1);
            var after = await node.WaitForAsync("connect");
            Assert.NotEqual(Text(before, "id"), Text(after, "id"));
            Assert.Contains(Text(after, "transport"), transports.Split(','));
            var auth = await node.WaitForAsync("received", l => Text(l, "name") == "auth");
            AssertJsonEqual(Json("""[{"who":"a"}]"""), auth.GetProperty("args"));
            Assert.True(second.IO.MainNamespace.TryGetSocket(Text(after, "id")!, out _));

            await node.SendAsync(new { cmd = "exit" });
            await node.WaitForExitAsync();
        }
        finally
        {
            if (!firstStopped)
            {
                await first.DisposeAsync();
            }

            if (second is not null)
            {
                await second.DisposeAsync();
            }
        }
    }

    private static async Task StopQuicklyAsync(Microsoft.AspNetCore.Builder.WebApplication app)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            await app.StopAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or AggregateException)
        {
            // Cut short on purpose; open connections are aborted.
        }

        await app.DisposeAsync();
    }

    /// <summary>Proves a negative: within a quiet period of many reconnection delays, no client came back.</summary>
    private static async Task AssertStaysAwayAsync(NodeScript node, TestHost host, params string[] clients)
    {
        await node.SendAsync(new { cmd = "quiet", ms = 500 });
        var lines = await node.CollectUntilAsync(seen => NodeScript.Is(seen[^1], "quiet"), "the end of the quiet period");
        Assert.DoesNotContain(lines, l => NodeScript.Is(l, "reconnect_attempt") || NodeScript.Is(l, "connect"));
        var state = lines[^1].GetProperty("clients");
        foreach (var client in clients)
        {
            Assert.False(state.GetProperty(client).GetProperty("connected").GetBoolean());
            Assert.False(state.GetProperty(client).GetProperty("active").GetBoolean());
        }

        Assert.Equal(0, host.IO.MainNamespace.SocketCount);
        Assert.Equal(0, host.IO.ConnectionCount);
    }

    private static Task<TestHost> StartHostAsync(Action<SocketIOServer> handlers, TimeProvider? time = null) => TestHost.StartAsync(
        handlers: handlers,
        services: s =>
        {
            if (time is not null)
            {
                s.AddSingleton(time);
            }
        });

    private static string Url(TestHost host) => host.BaseUri.ToString();

    private static string FinalTransport(string transports) => transports.Split(',')[^1];

    private static Dictionary<string, string> Bin(params byte[] bytes) => new() { ["$bin"] = Convert.ToBase64String(bytes) };

    private static JsonElement Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private static JsonElement Single(IReadOnlyList<JsonElement> lines, string eventName)
    {
        var matches = lines.Where(l => NodeScript.Is(l, eventName)).ToList();
        Assert.True(
            matches.Count == 1,
            $"expected exactly one \"{eventName}\" line, got {matches.Count}:{Environment.NewLine}{string.Join(Environment.NewLine, lines.Select(l => l.GetRawText()))}");
        return matches[0];
    }

    private static bool IsReceived(JsonElement line, string name) => NodeScript.Is(line, "received") && Text(line, "name") == name;

    private static string? Text(JsonElement line, string property) => line.GetProperty(property).GetString();

    private static void AssertJsonEqual(JsonElement expected, JsonElement actual) =>
        Assert.True(JsonElement.DeepEquals(expected, actual), $"expected {expected.GetRawText()}{Environment.NewLine}but got  {actual.GetRawText()}");

    public sealed record Upload(string Label, byte[] Nested);
}
