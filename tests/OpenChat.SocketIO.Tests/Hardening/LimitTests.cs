using System.Net;
using System.Text;
using OpenChat.SocketIO.Tests.Infrastructure;

namespace OpenChat.SocketIO.Tests.Hardening;

/// <summary>
/// Each configured bound, exactly at it and one step over it, through the Socket.IO endpoint. (The raw
/// Engine.IO echo already has at-limit and well-over-limit tests in PollingTests and WebSocketTests.)
/// </summary>
public sealed class LimitTests
{
    private const int BufferLimit = 1000;

    // 42["big","<padding>"] has 12 bytes around the padding.
    private static string EventOfLength(int length) => "42[\"big\",\"" + new string('x', length - 12) + "\"]";

    private static string Placeholders(int count) =>
        string.Join(",", Enumerable.Range(0, count).Select(n => $"{{\"_placeholder\":true,\"num\":{n}}}"));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_message_exactly_at_the_buffer_limit_reaches_its_handler(bool webSocket)
    {
        var received = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var reasons = new DisconnectReasonLog();
        await using var host = await TestHost.StartAsync(
            o => o.MaxHttpBufferSize = BufferLimit,
            io => io.On("connection", s =>
            {
                reasons.Track(s);
                s.On("big", ctx => received.TrySetResult(ctx.Arguments.Get<string>(0)!.Length));
            }));
        await using var client = await RawSocketIOClient.OpenAsync(host, webSocket);
        await client.JoinAsync();

        await client.SendAsync(EventOfLength(BufferLimit));

        Assert.Equal(BufferLimit - 12, await received.Task.WithTimeout());
        Assert.False(reasons.For(client.SocketId).IsCompleted);
    }

    [Fact]
    public async Task A_polling_body_one_byte_over_the_buffer_limit_gets_413_and_ends_the_session_with_transport_error()
    {
        var reasons = new DisconnectReasonLog();
        var handled = 0;
        await using var host = await TestHost.StartAsync(
            o => o.MaxHttpBufferSize = BufferLimit,
            io => io.On("connection", s =>
            {
                reasons.Track(s);
                s.On("big", _ => Interlocked.Increment(ref handled));
            }));
        await using var client = await RawSocketIOClient.OpenPollingAsync(host);
        await client.JoinAsync();

        var status = await client.PostAsync(Encoding.UTF8.GetBytes(EventOfLength(BufferLimit + 1)));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal("transport error", await reasons.For(client.SocketId).WithTimeout());
        await client.Closed.WithTimeout();
        Assert.Equal(0, Volatile.Read(ref handled));
        Assert.Equal(0, host.IO.ConnectionCount);
    }

    [Fact]
    public async Task A_websocket_message_one_byte_over_the_buffer_limit_gets_close_1009_and_ends_the_session_with_transport_error()
    {
        var reasons = new DisconnectReasonLog();
        await using var host = await TestHost.StartAsync(o => o.MaxHttpBufferSize = BufferLimit, io => io.On("connection", reasons.Track));
        await using var ws = await WsClient.ConnectAsync(host.WebSocketUrl("EIO=4&transport=websocket"));
        await ws.ReceiveOpenAsync();
        await ws.SendTextAsync("40");
        var socketId = System.Text.Json.JsonDocument.Parse((await ws.ReceiveTextAsync())[2..]).RootElement.GetProperty("sid").GetString()!;

        await ws.SendTextAsync(EventOfLength(BufferLimit + 1));

        // A clear close frame, not a hang or a bare reset.
        var (_, close) = await ws.ReceiveUntilClosedAsync();
        Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.MessageTooBig, close.CloseStatus);
        Assert.Equal("transport error", await reasons.For(socketId).WithTimeout());
        Assert.Equal(0, host.IO.ConnectionCount);
    }

    [Fact]
    public async Task A_binary_event_with_exactly_max_attachments_arrives_with_all_of_them()
    {
        var options = new SocketIOOptions();
        var max = options.MaxAttachments;
        Assert.Equal(64, max);
        await using var host = await TestHost.StartAsync(handlers: io => io.On("connection", s =>
            s.On("bin", ctx => ctx.Ack(ctx.Arguments.Attachments.Count, ctx.Arguments.Attachments.Sum(a => a.Span[0])))));
        await using var client = await RawSocketIOClient.OpenWebSocketAsync(host);
        await client.JoinAsync();

        Assert.True(await client.TrySendFrameAsync(Encoding.UTF8.GetBytes($"45{max}-7[\"bin\",{Placeholders(max)}]"), binary: false));
        for (var i = 0; i < max; i++)
        {
            Assert.True(await client.TrySendFrameAsync([(byte)i], binary: true));
        }

        var ack = await client.NextAsync(p => p.StartsWith("437", StringComparison.Ordinal));
        Assert.Equal($"437[{max},{Enumerable.Range(0, max).Sum()}]", ack);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_binary_event_announcing_one_attachment_over_the_maximum_ends_the_session_as_a_parse_error(bool webSocket)
    {
        var reasons = new DisconnectReasonLog();
        await using var host = await TestHost.StartAsync(handlers: io => io.On("connection", reasons.Track));
        await using var client = await RawSocketIOClient.OpenAsync(host, webSocket);
        await client.JoinAsync();

        await client.SendAsync($"4565-[\"bin\",{Placeholders(65)}]");

        Assert.Equal("parse error", await reasons.For(client.SocketId).WithTimeout());
        await client.Closed.WithTimeout();
        Assert.Equal(0, host.IO.ConnectionCount);
    }

    [Fact]
    public async Task Emit_with_ack_beyond_max_pending_acks_fails_at_once_and_succeeds_again_once_an_ack_arrives()
    {
        var sockets = new ConnectedSockets();
        await using var host = await TestHost.StartAsync(handlers: io => io.On("connection", sockets.Track));
        var max = host.IO.Options.MaxPendingAcks;
        Assert.Equal(1000, max);
        await using var client = await RawSocketIOClient.OpenWebSocketAsync(host);
        var socket = await sockets.For(await client.JoinAsync()).WithTimeout();

        var pending = Enumerable.Range(0, max).Select(i => socket.EmitWithAckAsync("ask", i)).ToList();
        var overflow = await Record.ExceptionAsync(() => socket.EmitWithAckAsync("ask", "one too many"));

        Assert.IsType<InvalidOperationException>(overflow);
        Assert.All(pending, t => Assert.False(t.IsCompleted));
        var last = await client.NextAsync(p => p.StartsWith($"42{max - 1}[", StringComparison.Ordinal));
        Assert.Equal($"42{max - 1}[\"ask\",{max - 1}]", last);

        // The client answers the first one: there is room for exactly one more.
        await client.SendAsync("430[\"answer\"]");
        Assert.Equal("answer", (await pending[0].WithTimeout()).Get<string>(0));
        var next = socket.EmitWithAckAsync("ask", "room again");
        Assert.IsType<InvalidOperationException>(await Record.ExceptionAsync(() => socket.EmitWithAckAsync("ask", "full again")));
        var sent = await client.NextAsync(p => p.Contains("room again", StringComparison.Ordinal));
        Assert.Equal($"42{max}[\"ask\",\"room again\"]", sent);
        await client.SendAsync($"43{max}[1]");
        Assert.Equal(1, (await next.WithTimeout()).Get<int>(0));
    }

    [Fact]
    public async Task A_polling_client_that_stops_polling_is_disconnected_when_its_queue_would_pass_the_bound_and_not_before()
    {
        const int bound = 2048;
        var sockets = new ConnectedSockets();
        var reasons = new DisconnectReasonLog();
        await using var host = await TestHost.StartAsync(
            o => o.MaxQueuedOutgoingBytes = bound,
            io => io.On("connection", s =>
            {
                sockets.Track(s);
                reasons.Track(s);
            }));
        using var polling = new PollingClient(host);
        await polling.HandshakeAsync();
        await polling.SendAsync("40");
        var connect = Assert.Single(await polling.PollPacketsAsync());
        var socket = await sockets.For(System.Text.Json.JsonDocument.Parse(connect[2..]).RootElement.GetProperty("sid").GetString()!).WithTimeout();

        // From here the client never polls. 42["f","<padding>"] has 10 bytes around the padding.
        Assert.True(socket.Emit("f", new string('q', bound - 20)));
        Assert.True(socket.Emit("f", string.Empty), "the 10-byte message that fills the queue exactly to the bound is accepted");
        Assert.False(reasons.For(socket.Id).IsCompleted);

        Assert.False(socket.Emit("f", string.Empty));

        Assert.Equal("transport error", await reasons.For(socket.Id).WithTimeout());
        Assert.False(socket.Connected);
        using var response = await polling.GetAsync().WithTimeout();
        await EnginePayload.AssertErrorAsync(response, HttpStatusCode.BadRequest, 1, "Session ID unknown");
    }
}
