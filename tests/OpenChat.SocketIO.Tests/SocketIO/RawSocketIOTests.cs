using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using OpenChat.SocketIO.Tests.Infrastructure;

namespace OpenChat.SocketIO.Tests.SocketIO;

/// <summary>Socket.IO v5 packets written and read by hand over a raw Engine.IO WebSocket.</summary>
public sealed class RawSocketIOTests
{
    private static async Task<WsClient> OpenAsync(TestHost host)
    {
        var ws = await WsClient.ConnectAsync(host.WebSocketUrl("EIO=4&transport=websocket"));
        await ws.ReceiveOpenAsync();
        return ws;
    }

    /// <summary>Opens a WebSocket and joins the main namespace; returns the socket id from the CONNECT reply.</summary>
    private static async Task<(WsClient Client, string SocketId)> ConnectAsync(TestHost host)
    {
        var ws = await OpenAsync(host);
        await ws.SendTextAsync("40");
        var reply = await ws.ReceiveTextAsync();
        Assert.StartsWith("40{", reply);
        using var json = JsonDocument.Parse(reply[2..]);
        return (ws, json.RootElement.GetProperty("sid").GetString()!);
    }

    /// <summary>Disconnect reasons by socket id, whichever side (client reply or server handler) gets there first.</summary>
    private sealed class Reasons
    {
        private readonly ConcurrentDictionary<string, TaskCompletionSource<string>> _reasons = new();

        public void Track(SocketIOSocket socket) => socket.OnDisconnect(reason => For(socket.Id).TrySetResult(reason));

        public TaskCompletionSource<string> For(string socketId) =>
            _reasons.GetOrAdd(socketId, _ => new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously));
    }

    [Fact]
    public async Task A_connect_to_the_main_namespace_is_answered_with_the_socket_id()
    {
        var connected = new TaskCompletionSource<SocketIOSocket>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await TestHost.StartAsync(handlers: io => io.On("connection", s => connected.TrySetResult(s)));
        await using var ws = await WsClient.ConnectAsync(host.WebSocketUrl("EIO=4&transport=websocket"));
        var engineSid = (await ws.ReceiveOpenAsync()).GetProperty("sid").GetString();

        await ws.SendTextAsync("40");

        var reply = await ws.ReceiveTextAsync();
        Assert.Matches("^40\\{\"sid\":\"[A-Za-z0-9_-]{20}\"\\}$", reply);
        var socket = await connected.Task.WithTimeout();
        Assert.Equal($"40{{\"sid\":\"{socket.Id}\"}}", reply);
        Assert.NotEqual(engineSid, socket.Id);
    }

    [Fact]
    public async Task A_connect_with_an_auth_payload_hands_it_to_the_server()
    {
        var auth = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await TestHost.StartAsync(handlers: io => io.On("connection", s => auth.TrySetResult(s.Handshake.GetAuthString("token"))));
        await using var ws = await OpenAsync(host);

        await ws.SendTextAsync("40{\"token\":\"abc\"}");

        Assert.StartsWith("40{\"sid\":", await ws.ReceiveTextAsync());
        Assert.Equal("abc", await auth.Task.WithTimeout());
    }

    [Fact]
    public async Task A_connect_to_an_unknown_namespace_is_refused_as_an_invalid_namespace()
    {
        await using var host = await TestHost.StartAsync();
        await using var ws = await OpenAsync(host);

        await ws.SendTextAsync("40/nope,");

        Assert.Equal("44/nope,{\"message\":\"Invalid namespace\"}", await ws.ReceiveTextAsync());
        await ws.SendTextAsync("40");
        Assert.StartsWith("40{\"sid\":", await ws.ReceiveTextAsync());
    }

    [Fact]
    public async Task A_connect_to_a_custom_namespace_is_answered_in_that_namespace()
    {
        await using var host = await TestHost.StartAsync(handlers: io => io.Of("/custom").On("connection", _ => { }));
        await using var ws = await OpenAsync(host);

        await ws.SendTextAsync("40/custom,");

        Assert.Matches("^40/custom,\\{\"sid\":\"[A-Za-z0-9_-]{20}\"\\}$", await ws.ReceiveTextAsync());
    }

    [Fact]
    public async Task Middleware_that_refuses_sends_connect_error_with_its_message_and_data()
    {
        await using var host = await TestHost.StartAsync(handlers: io => io.Use(_ => throw new ConnectionRefusedException("no", new { reason = "x" })));
        await using var ws = await OpenAsync(host);

        await ws.SendTextAsync("40");

        Assert.Equal("44{\"message\":\"no\",\"data\":{\"reason\":\"x\"}}", await ws.ReceiveTextAsync());
        Assert.Equal(0, host.IO.MainNamespace.SocketCount);
    }

    [Fact]
    public async Task Middleware_that_refuses_without_data_sends_only_the_message()
    {
        await using var host = await TestHost.StartAsync(handlers: io => io.Use(_ => throw new ConnectionRefusedException("go away")));
        await using var ws = await OpenAsync(host);

        await ws.SendTextAsync("40");

        Assert.Equal("44{\"message\":\"go away\"}", await ws.ReceiveTextAsync());
    }

    [Fact]
    public async Task A_connection_that_joins_no_namespace_within_the_connect_timeout_is_closed()
    {
        var time = new FakeTimeProvider();
        await using var host = await TestHost.StartAsync(configure: o => o.PingInterval = TimeSpan.FromMinutes(1), services: s => s.AddSingleton<TimeProvider>(time));
        await using var ws = await OpenAsync(host);

        time.Advance(host.IO.Options.ConnectTimeout - TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, host.IO.ConnectionCount);
        time.Advance(TimeSpan.FromMilliseconds(1));
        var (before, close) = await ws.ReceiveUntilClosedAsync();

        Assert.Equal(["1"], before.Select(m => m.Text));
        Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, close.CloseStatus);
        Assert.Equal(0, host.IO.ConnectionCount);
    }

    [Fact]
    public async Task A_connection_that_joins_in_time_outlives_the_connect_timeout()
    {
        var time = new FakeTimeProvider();
        await using var host = await TestHost.StartAsync(
            configure: o => o.ConnectTimeout = TimeSpan.FromSeconds(30),
            handlers: io => io.On("connection", s => s.On("sync", ctx => { ctx.Ack(); })),
            services: s => s.AddSingleton<TimeProvider>(time));
        var (ws, _) = await ConnectAsync(host);
        await using var client = ws;

        time.Advance(host.IO.Options.PingInterval);
        Assert.Equal("2", await ws.ReceiveTextAsync());
        await ws.SendTextAsync("3");
        time.Advance(TimeSpan.FromSeconds(10));

        await ws.SendTextAsync("421[\"sync\"]");
        Assert.Equal("431[]", await ws.ReceiveTextAsync());
        Assert.Equal(1, host.IO.ConnectionCount);
    }

    [Fact]
    public async Task An_event_with_an_ack_id_is_answered_with_an_ack_carrying_the_same_id()
    {
        await using var host = await TestHost.StartAsync(handlers: io => io.On("connection", s => s.On("ping", ctx => ctx.Ack("pong", 42))));
        var (ws, _) = await ConnectAsync(host);
        await using var client = ws;

        await ws.SendTextAsync("421[\"ping\"]");
        await ws.SendTextAsync("42987[\"ping\",{\"a\":1}]");

        Assert.Equal("431[\"pong\",42]", await ws.ReceiveTextAsync());
        Assert.Equal("43987[\"pong\",42]", await ws.ReceiveTextAsync());
    }

    [Fact]
    public async Task An_event_reaches_its_handler_with_its_arguments()
    {
        var received = new TaskCompletionSource<(string, int)>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await TestHost.StartAsync(handlers: io => io.On("connection", s =>
            s.On("hello", ctx => received.TrySetResult((ctx.Arguments.Get<string>(0)!, ctx.Arguments.Get<int>(1))))));
        var (ws, _) = await ConnectAsync(host);
        await using var client = ws;

        await ws.SendTextAsync("42[\"hello\",\"world\",7]");

        Assert.Equal(("world", 7), await received.Task.WithTimeout());
    }

    [Theory]
    [InlineData("42[\"unterminated")]
    [InlineData("4")]
    [InlineData("47")]
    [InlineData("42{\"not\":\"an array\"}")]
    [InlineData("42[\"connect\"]")]
    [InlineData("43[\"ack without id\"]")]
    public async Task A_malformed_packet_closes_only_its_own_connection(string packet)
    {
        var reasons = new Reasons();
        await using var host = await TestHost.StartAsync(handlers: io => io.On("connection", reasons.Track));
        var (bad, badId) = await ConnectAsync(host);
        await using var badClient = bad;
        var (good, goodId) = await ConnectAsync(host);
        await using var goodClient = good;

        await bad.SendTextAsync(packet);

        var (_, close) = await bad.ReceiveUntilClosedAsync();
        Assert.True(close.IsClose);
        Assert.Equal("parse error", await reasons.For(badId).Task.WithTimeout());
        host.IO.Emit("news", "still here");
        Assert.Equal("42[\"news\",\"still here\"]", await good.ReceiveTextAsync());
        Assert.False(reasons.For(goodId).Task.IsCompleted);
        Assert.Equal(1, host.IO.ConnectionCount);
    }

    [Fact]
    public async Task A_disconnect_packet_from_the_client_is_seen_as_a_client_namespace_disconnect()
    {
        var reasons = new Reasons();
        await using var host = await TestHost.StartAsync(handlers: io => io.On("connection", reasons.Track));
        var (ws, socketId) = await ConnectAsync(host);
        await using var client = ws;

        await ws.SendTextAsync("41");

        Assert.Equal("client namespace disconnect", await reasons.For(socketId).Task.WithTimeout());
        Assert.Equal(0, host.IO.MainNamespace.SocketCount);
        Assert.Equal(1, host.IO.ConnectionCount);
        await ws.SendTextAsync("40");
        Assert.StartsWith("40{\"sid\":", await ws.ReceiveTextAsync());
    }

    [Fact]
    public async Task A_binary_event_and_its_attachment_frame_reach_the_handler_with_the_bytes()
    {
        var received = new TaskCompletionSource<byte[]?>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await TestHost.StartAsync(handlers: io => io.On("connection", s => s.On("x", ctx => received.TrySetResult(ctx.Arguments.Get<byte[]>(0)))));
        var (ws, _) = await ConnectAsync(host);
        await using var client = ws;

        await ws.SendTextAsync("451-[\"x\",{\"_placeholder\":true,\"num\":0}]");
        await ws.SendBinaryAsync([1, 2, 3, 255]);

        Assert.Equal(new byte[] { 1, 2, 3, 255 }, await received.Task.WithTimeout());
    }

    [Fact]
    public async Task Binary_sent_by_the_server_arrives_as_a_placeholder_packet_followed_by_a_binary_frame()
    {
        await using var host = await TestHost.StartAsync(handlers: io => io.On("connection", s => s.Emit("blob", new byte[] { 4, 5, 6 })));
        await using var ws = await OpenAsync(host);

        await ws.SendTextAsync("40");

        Assert.StartsWith("40{\"sid\":", await ws.ReceiveTextAsync());
        Assert.Equal("451-[\"blob\",{\"_placeholder\":true,\"num\":0}]", await ws.ReceiveTextAsync());
        var attachment = await ws.ReceiveAsync();
        Assert.Equal(System.Net.WebSockets.WebSocketMessageType.Binary, attachment.Type);
        Assert.Equal(new byte[] { 4, 5, 6 }, attachment.Data);
    }

    [Fact]
    public async Task A_server_disconnect_sends_the_disconnect_packet_and_keeps_the_connection()
    {
        var reasons = new Reasons();
        await using var host = await TestHost.StartAsync(handlers: io => io.On("connection", s =>
        {
            reasons.Track(s);
            s.On("leave", ctx => ctx.Socket.Disconnect());
        }));
        var (ws, socketId) = await ConnectAsync(host);
        await using var client = ws;

        await ws.SendTextAsync("42[\"leave\"]");

        Assert.Equal("41", await ws.ReceiveTextAsync());
        Assert.Equal("server namespace disconnect", await reasons.For(socketId).Task.WithTimeout());
        Assert.Equal(1, host.IO.ConnectionCount);
    }

    [Fact]
    public async Task A_server_disconnect_with_close_from_an_event_handler_flushes_everything_queued_before_closing_the_websocket()
    {
        var lastWords = new string('x', 256 * 1024);
        await using var host = await TestHost.StartAsync(handlers: io => io.On("connection", s =>
            s.On("bye", ctx =>
            {
                ctx.Socket.Emit("last words", lastWords);
                ctx.Socket.Disconnect(close: true);
            })));
        var (ws, _) = await ConnectAsync(host);
        await using var client = ws;

        await ws.SendTextAsync("42[\"bye\"]");

        var (before, close) = await ws.ReceiveUntilClosedAsync();
        Assert.True(before.Count == 3, $"{before.Count} packets arrived before the end ({close})");
        Assert.Equal([$"42[\"last words\",\"{lastWords}\"]", "41", "1"], before.Select(m => m.Text));
        Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, close.CloseStatus);
    }

    [Fact]
    public async Task A_server_disconnect_with_close_from_outside_a_handler_flushes_everything_queued_before_closing_the_websocket()
    {
        var lastWords = new string('x', 256 * 1024);
        var connected = new TaskCompletionSource<SocketIOSocket>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await TestHost.StartAsync(handlers: io => io.On("connection", s => connected.TrySetResult(s)));
        var (ws, _) = await ConnectAsync(host);
        await using var client = ws;
        var socket = await connected.Task.WithTimeout();

        socket.Emit("last words", lastWords);
        socket.Disconnect(close: true);

        var (before, close) = await ws.ReceiveUntilClosedAsync();
        Assert.True(before.Count == 3, $"{before.Count} packets arrived before the end ({close})");
        Assert.Equal([$"42[\"last words\",\"{lastWords}\"]", "41", "1"], before.Select(m => m.Text));
        Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, close.CloseStatus);
    }

    [Fact]
    public async Task The_client_ack_completes_the_server_emit_with_ack()
    {
        var answer = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await TestHost.StartAsync(handlers: io => io.On("connection", async s =>
        {
            var reply = await s.EmitWithAckAsync("question", TimeSpan.FromSeconds(10), 6, 7);
            answer.TrySetResult(reply.Get<string>(0));
        }));
        await using var ws = await OpenAsync(host);
        await ws.SendTextAsync("40");
        Assert.StartsWith("40{", await ws.ReceiveTextAsync());

        var question = await ws.ReceiveTextAsync();
        var match = System.Text.RegularExpressions.Regex.Match(question, "^42(\\d+)\\[\"question\",6,7\\]$");
        Assert.True(match.Success, question);
        await ws.SendTextAsync($"43{match.Groups[1].Value}[\"forty-two\"]");

        Assert.Equal("forty-two", await answer.Task.WithTimeout());
    }

    [Fact]
    public async Task An_event_for_a_namespace_the_client_has_not_joined_is_ignored()
    {
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await TestHost.StartAsync(handlers: io =>
        {
            io.On("connection", s => s.On("x", ctx => received.TrySetResult(ctx.Arguments.Get<string>(0)!)));
            io.Of("/custom").On("connection", s => s.On("x", _ => received.TrySetResult("custom")));
        });
        var (ws, _) = await ConnectAsync(host);
        await using var client = ws;

        await ws.SendTextAsync("42/custom,[\"x\"]");
        await ws.SendTextAsync("42[\"x\",\"main\"]");

        Assert.Equal("main", await received.Task.WithTimeout());
        Assert.Equal(1, host.IO.ConnectionCount);
    }

    [Fact]
    public async Task A_binary_event_with_two_attachments_waits_for_both_frames()
    {
        var received = new TaskCompletionSource<(byte[]?, byte[]?)>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await TestHost.StartAsync(handlers: io => io.Of("/custom").On("connection", s =>
            s.On("pair", ctx => received.TrySetResult((ctx.Arguments.Get<byte[]>(0), ctx.Arguments.Get<byte[]>(1))))));
        await using var ws = await OpenAsync(host);
        await ws.SendTextAsync("40/custom,");
        Assert.StartsWith("40/custom,{", await ws.ReceiveTextAsync());

        await ws.SendTextAsync("452-/custom,[\"pair\",{\"_placeholder\":true,\"num\":0},{\"_placeholder\":true,\"num\":1}]");
        await ws.SendBinaryAsync([1]);
        Assert.False(received.Task.IsCompleted);
        await ws.SendBinaryAsync([2, 2]);

        var (first, second) = await received.Task.WithTimeout();
        Assert.Equal(new byte[] { 1 }, first);
        Assert.Equal(new byte[] { 2, 2 }, second);
    }

    [Fact]
    public async Task A_text_packet_where_an_attachment_was_expected_closes_the_connection()
    {
        var reasons = new Reasons();
        await using var host = await TestHost.StartAsync(handlers: io => io.On("connection", reasons.Track));
        var (ws, socketId) = await ConnectAsync(host);
        await using var client = ws;

        await ws.SendTextAsync("451-[\"x\",{\"_placeholder\":true,\"num\":0}]");
        await ws.SendTextAsync("42[\"x\"]");

        var (_, close) = await ws.ReceiveUntilClosedAsync();
        Assert.True(close.IsClose);
        Assert.Equal("parse error", await reasons.For(socketId).Task.WithTimeout());
    }
}
