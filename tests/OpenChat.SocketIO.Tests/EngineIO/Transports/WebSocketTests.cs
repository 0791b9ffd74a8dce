using System.Net;
using System.Net.WebSockets;
using System.Text;
using OpenChat.SocketIO.EngineIO;
using OpenChat.SocketIO.Tests.Infrastructure;

namespace OpenChat.SocketIO.Tests.EngineIO.Transports;

/// <summary>The WebSocket transport against the raw Engine.IO echo endpoint on /engine.io/.</summary>
public sealed class WebSocketTests
{
    private const string EchoPath = "/engine.io/";

    private static Task<TestHost> StartEchoAsync(Action<EngineIOOptions>? configure = null) =>
        TestHost.StartAsync(services: s => s.AddEngineIO(EchoPath, configure), mapMore: app => app.MapEngineIO(EchoPath, new ConformanceHost.EngineEcho()));

    private static Task<WsClient> ConnectAsync(TestHost host) =>
        WsClient.ConnectAsync(host.WebSocketUrl("EIO=4&transport=websocket", EchoPath));

    private static async Task AssertSessionGoneAsync(TestHost host, string sid)
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync(host.Url($"EIO=4&transport=polling&sid={sid}", EchoPath)).WithTimeout();
        await EnginePayload.AssertErrorAsync(response, HttpStatusCode.BadRequest, 1, "Session ID unknown");
    }

    [Fact]
    public async Task The_WebSocket_layer_sends_no_keep_alive_frames_of_its_own_since_the_heartbeat_does_that()
    {
        // An app-wide WebSocket keep-alive far shorter than the wait below: a frame of it would come first.
        await using var host = await TestHost.StartAsync(
            services: s =>
            {
                s.AddEngineIO(EchoPath);
                s.Configure<WebSocketOptions>(o => o.KeepAliveInterval = TimeSpan.FromMilliseconds(20));
            },
            mapMore: app => app.MapEngineIO(EchoPath, new ConformanceHost.EngineEcho()));
        using var wire = await WireWebSocket.ConnectAsync(host.BaseUri, EchoPath + "?EIO=4&transport=websocket");
        Assert.StartsWith("0{", Encoding.UTF8.GetString((await wire.ReceiveFrameAsync()).Payload));

        await Task.Delay(TimeSpan.FromMilliseconds(300));
        await wire.SendTextAsync("4after the wait");

        var next = await wire.ReceiveFrameAsync();
        Assert.Equal(WireFrame.Text, next.Opcode);
        Assert.Equal("4after the wait", Encoding.UTF8.GetString(next.Payload));
    }

    [Fact]
    public async Task Each_packet_travels_in_its_own_frame_without_record_separators()
    {
        await using var host = await StartEchoAsync();
        await using var ws = await ConnectAsync(host);
        await ws.ReceiveOpenAsync();

        await ws.SendTextAsync("4one");
        await ws.SendTextAsync("4two");
        await ws.SendTextAsync("4three");

        Assert.Equal("4one", await ws.ReceiveTextAsync());
        Assert.Equal("4two", await ws.ReceiveTextAsync());
        Assert.Equal("4three", await ws.ReceiveTextAsync());
    }

    [Fact]
    public async Task A_text_message_is_echoed_as_a_text_frame_with_its_unicode_intact()
    {
        await using var host = await StartEchoAsync();
        await using var ws = await ConnectAsync(host);
        await ws.ReceiveOpenAsync();

        await ws.SendTextAsync("4héllo ✓ 🌍");

        var echo = await ws.ReceiveAsync();
        Assert.Equal(WebSocketMessageType.Text, echo.Type);
        Assert.Equal("4héllo ✓ 🌍", echo.Text);
    }

    [Fact]
    public async Task A_binary_frame_is_a_message_echoed_as_raw_bytes_without_prefix()
    {
        await using var host = await StartEchoAsync();
        await using var ws = await ConnectAsync(host);
        await ws.ReceiveOpenAsync();

        await ws.SendBinaryAsync([1, 2, 3]);
        await ws.SendBinaryAsync([]);

        var echo = await ws.ReceiveAsync();
        Assert.Equal(WebSocketMessageType.Binary, echo.Type);
        Assert.Equal(new byte[] { 1, 2, 3 }, echo.Data);
        var empty = await ws.ReceiveAsync();
        Assert.Equal(WebSocketMessageType.Binary, empty.Type);
        Assert.Empty(empty.Data);
    }

    [Fact]
    public async Task A_large_binary_message_within_the_limit_is_echoed_whole()
    {
        await using var host = await StartEchoAsync();
        await using var ws = await ConnectAsync(host);
        await ws.ReceiveOpenAsync();
        var data = new byte[200_000];
        new Random(42).NextBytes(data);

        await ws.SendBinaryAsync(data);

        var echo = await ws.ReceiveAsync();
        Assert.Equal(WebSocketMessageType.Binary, echo.Type);
        Assert.Equal(data, echo.Data);
    }

    [Fact]
    public async Task A_large_text_message_goes_out_in_fragments_that_each_end_on_a_character_boundary()
    {
        await using var host = await StartEchoAsync();
        using var wire = await WireWebSocket.ConnectAsync(host.BaseUri, EchoPath + "?EIO=4&transport=websocket");
        var open = await wire.ReceiveFrameAsync();
        Assert.True(open.Fin);
        var text = "4" + string.Concat(Enumerable.Repeat("héllo ✓ 🌍 ", 8000));

        await wire.SendTextAsync(text);

        var strictUtf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        var fragments = new List<WireFrame>();
        do
        {
            fragments.Add(await wire.ReceiveFrameAsync());
        }
        while (!fragments[^1].Fin);

        Assert.True(fragments.Count > 1, "a message this large is fragmented");
        Assert.Equal(WireFrame.Text, fragments[0].Opcode);
        Assert.All(fragments.Skip(1), f => Assert.Equal(WireFrame.Continuation, f.Opcode));
        Assert.All(fragments, f => Assert.InRange(f.Payload.Length, 1, WebSocketTransport.MaxFragmentLength));
        Assert.Equal(text, string.Concat(fragments.Select(f => strictUtf8.GetString(f.Payload))));
    }

    [Fact]
    public void A_text_fragment_backs_off_to_the_start_of_a_character_that_would_straddle_its_end()
    {
        var max = WebSocketTransport.MaxFragmentLength;
        var bytes = Encoding.UTF8.GetBytes(new string('a', max - 1) + "🌍" + new string('b', 10));

        Assert.Equal(max - 1, WebSocketTransport.FragmentLength(bytes, isBinary: false));
        Assert.Equal(max, WebSocketTransport.FragmentLength(bytes, isBinary: true));
        Assert.Equal(max, WebSocketTransport.FragmentLength(Encoding.UTF8.GetBytes(new string('a', max + 5)), isBinary: false));
    }

    [Theory]
    [InlineData(WebSocketMessageType.Text)]
    [InlineData(WebSocketMessageType.Binary)]
    public async Task A_message_over_the_buffer_limit_closes_the_websocket_with_status_1009(WebSocketMessageType type)
    {
        await using var host = await StartEchoAsync(o => o.MaxHttpBufferSize = 100);
        await using var ws = await ConnectAsync(host);
        var sid = (await ws.ReceiveOpenAsync()).GetProperty("sid").GetString()!;

        if (type == WebSocketMessageType.Text)
        {
            await ws.SendTextAsync("4" + new string('x', 300));
        }
        else
        {
            await ws.SendBinaryAsync(new byte[300]);
        }

        var (before, close) = await ws.ReceiveUntilClosedAsync();
        Assert.Empty(before);
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, close.CloseStatus);
        await AssertSessionGoneAsync(host, sid);
    }

    [Fact]
    public async Task A_message_at_the_buffer_limit_is_accepted()
    {
        await using var host = await StartEchoAsync(o => o.MaxHttpBufferSize = 100);
        await using var ws = await ConnectAsync(host);
        await ws.ReceiveOpenAsync();
        var message = "4" + new string('x', 99);

        await ws.SendTextAsync(message);

        Assert.Equal(message, await ws.ReceiveTextAsync());
    }

    [Theory]
    [InlineData("x")]
    [InlineData("")]
    [InlineData("9")]
    [InlineData("7hello")]
    public async Task A_malformed_text_frame_closes_the_session(string frame)
    {
        await using var host = await StartEchoAsync();
        await using var ws = await ConnectAsync(host);
        var sid = (await ws.ReceiveOpenAsync()).GetProperty("sid").GetString()!;

        await ws.SendTextAsync(frame);

        var (before, close) = await ws.ReceiveUntilClosedAsync();
        Assert.Empty(before);
        Assert.True(close.IsClose);
        await AssertSessionGoneAsync(host, sid);
    }

    [Fact]
    public async Task A_close_packet_from_the_client_ends_the_session()
    {
        await using var host = await StartEchoAsync();
        await using var ws = await ConnectAsync(host);
        var sid = (await ws.ReceiveOpenAsync()).GetProperty("sid").GetString()!;

        await ws.SendTextAsync("1");

        var (before, _) = await ws.ReceiveUntilClosedAsync();
        Assert.Empty(before);
        await AssertSessionGoneAsync(host, sid);
    }

    [Fact]
    public async Task A_ping_from_the_client_breaks_the_v4_heartbeat_direction_and_closes_the_session()
    {
        await using var host = await StartEchoAsync();
        await using var ws = await ConnectAsync(host);
        var sid = (await ws.ReceiveOpenAsync()).GetProperty("sid").GetString()!;

        await ws.SendTextAsync("2");

        var (before, _) = await ws.ReceiveUntilClosedAsync();
        Assert.Empty(before);
        await AssertSessionGoneAsync(host, sid);
    }

    [Fact]
    public async Task A_client_that_drops_the_websocket_ends_its_session()
    {
        var closed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await TestHost.StartAsync(handlers: io => io.On("connection", s => s.OnDisconnect(r => closed.TrySetResult(r))));
        await using var ws = await WsClient.ConnectAsync(host.WebSocketUrl("EIO=4&transport=websocket"));
        await ws.ReceiveOpenAsync();
        await ws.SendTextAsync("40");
        Assert.StartsWith("40{", await ws.ReceiveTextAsync());

        await ws.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None).WithTimeout();

        Assert.Equal("transport close", await closed.Task.WithTimeout());
        Assert.Equal(0, host.IO.ConnectionCount);
    }

    [Fact]
    public async Task A_message_split_across_websocket_fragments_is_one_packet()
    {
        await using var host = await StartEchoAsync();
        await using var ws = await ConnectAsync(host);
        await ws.ReceiveOpenAsync();

        await ws.Socket.SendAsync("4hel"u8.ToArray(), WebSocketMessageType.Text, endOfMessage: false, CancellationToken.None).WithTimeout();
        await ws.Socket.SendAsync("lo"u8.ToArray(), WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None).WithTimeout();

        Assert.Equal("4hello", await ws.ReceiveTextAsync());
    }

    [Fact]
    public async Task Fragments_that_add_up_to_more_than_the_buffer_limit_close_the_websocket_with_status_1009()
    {
        await using var host = await StartEchoAsync(o => o.MaxHttpBufferSize = 100);
        await using var ws = await ConnectAsync(host);
        await ws.ReceiveOpenAsync();

        for (var i = 0; i < 3; i++)
        {
            await ws.Socket.SendAsync(new byte[60], WebSocketMessageType.Binary, endOfMessage: false, CancellationToken.None).WithTimeout();
        }

        var (before, close) = await ws.ReceiveUntilClosedAsync();
        Assert.Empty(before);
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, close.CloseStatus);
    }
}
