using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using OpenChat.SocketIO.EngineIO;
using OpenChat.SocketIO.Tests.Infrastructure;

namespace OpenChat.SocketIO.Tests.EngineIO.Transports;

/// <summary>HTTP long-polling against the raw Engine.IO echo endpoint on /engine.io/.</summary>
public sealed class PollingTests
{
    private const string EchoPath = "/engine.io/";

    private static Task<TestHost> StartEchoAsync(Action<EngineIOOptions>? configure = null, RequestProbe? probe = null) =>
        TestHost.StartAsync(services: s => s.AddEngineIO(EchoPath, configure), mapMore: app =>
        {
            probe?.Attach(app);
            app.MapEngineIO(EchoPath, new ConformanceHost.EngineEcho());
        });

    private static async Task AssertSessionGoneAsync(PollingClient client)
    {
        using var response = await client.GetAsync().WithTimeout();
        await EnginePayload.AssertErrorAsync(response, HttpStatusCode.BadRequest, 1, "Session ID unknown");
    }

    [Fact]
    public async Task A_posted_message_comes_back_on_the_next_get()
    {
        await using var host = await StartEchoAsync();
        using var client = new PollingClient(host, EchoPath);
        await client.HandshakeAsync();

        await client.SendAsync("4hello");

        Assert.Equal("4hello", await client.PollAsync());
    }

    [Fact]
    public async Task The_post_answer_is_ok_and_a_get_payload_is_plain_text()
    {
        await using var host = await StartEchoAsync();
        using var client = new PollingClient(host, EchoPath);
        await client.HandshakeAsync();

        using var post = await client.PostAsync("4hi").WithTimeout();
        using var get = await client.GetAsync().WithTimeout();

        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        Assert.Equal("ok", await post.Content.ReadAsStringAsync().WithTimeout());
        Assert.Equal("text/plain", get.Content.Headers.ContentType?.MediaType);
        Assert.Equal("4hi", await get.Content.ReadAsStringAsync().WithTimeout());
    }

    [Fact]
    public async Task Several_packets_in_one_payload_are_separated_by_the_record_separator_both_ways()
    {
        await using var host = await StartEchoAsync();
        using var client = new PollingClient(host, EchoPath);
        await client.HandshakeAsync();

        await client.SendAsync("4one", "4two", "4", "4é ✓");

        Assert.Equal("4one\x1e" + "4two\x1e" + "4\x1e" + "4é ✓", await client.PollAsync());
    }

    [Fact]
    public async Task A_binary_message_travels_as_b_and_base64_and_is_echoed_the_same_way()
    {
        await using var host = await StartEchoAsync();
        using var client = new PollingClient(host, EchoPath);
        await client.HandshakeAsync();

        await client.SendAsync("bAQID", "4text", "b/w==");

        Assert.Equal(["bAQID", "4text", "b/w=="], await client.PollPacketsAsync());
    }

    [Fact]
    public async Task A_get_with_nothing_to_send_is_held_open_until_the_server_has_a_packet()
    {
        var time = new FakeTimeProvider();

        // The session joins no namespace: the connect timeout must not come before the first ping.
        await using var host = await TestHost.StartAsync(o => o.ConnectTimeout = TimeSpan.FromMinutes(1), services: s => s.AddSingleton<TimeProvider>(time));
        using var client = new PollingClient(host);
        await client.HandshakeAsync();

        var poll = client.PollAsync();
        await host.WaitUntilAsync(() => host.IO.Engine.HasPendingPoll(client.Sid));
        Assert.False(poll.IsCompleted);

        // The first thing the server has to say is the ping, one interval after the handshake.
        time.Advance(TimeSpan.FromSeconds(25));
        Assert.Equal("2", await poll.WithTimeout());

        // On virtual time a graceful close never times out: the client ends the session itself.
        await client.SendAsync("1");
    }

    [Fact]
    public async Task A_pending_get_returns_as_soon_as_a_message_is_queued()
    {
        var probe = new RequestProbe();
        await using var host = await StartEchoAsync(probe: probe);
        using var client = new PollingClient(host, EchoPath);
        await client.HandshakeAsync();
        var arrived = probe.ExpectPoll(client.Sid);
        var poll = client.GetAsync();
        await arrived.WithTimeout();

        await client.SendAsync("4wake");

        using var response = await poll.WithTimeout();
        Assert.Equal("4wake", await response.Content.ReadAsStringAsync().WithTimeout());
    }

    [Fact]
    public async Task Overlapping_gets_are_refused_with_400_and_close_the_session()
    {
        var probe = new RequestProbe();
        await using var host = await StartEchoAsync(probe: probe);
        using var client = new PollingClient(host, EchoPath);
        await client.HandshakeAsync();
        var arrived = probe.ExpectPoll(client.Sid);
        var first = client.GetAsync();
        await arrived.WithTimeout();

        using var second = await client.GetAsync().WithTimeout();
        using var released = await first.WithTimeout();

        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        Assert.Equal(HttpStatusCode.OK, released.StatusCode);
        Assert.Equal("1", await released.Content.ReadAsStringAsync().WithTimeout());
        await AssertSessionGoneAsync(client);
    }

    [Fact]
    public async Task A_post_over_the_buffer_limit_is_refused_with_413_and_closes_the_session()
    {
        await using var host = await StartEchoAsync(o => o.MaxHttpBufferSize = 100);
        using var client = new PollingClient(host, EchoPath);
        await client.HandshakeAsync();

        using var response = await client.PostAsync("4" + new string('x', 200)).WithTimeout();

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await AssertSessionGoneAsync(client);
    }

    [Fact]
    public async Task A_post_over_the_buffer_limit_without_a_content_length_is_refused_too()
    {
        await using var host = await StartEchoAsync(o => o.MaxHttpBufferSize = 100);
        using var client = new PollingClient(host, EchoPath);
        await client.HandshakeAsync();
        using var content = new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes("4" + new string('x', 500))));
        using var request = new HttpRequestMessage(HttpMethod.Post, client.SessionUrl) { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await client.Http.SendAsync(request).WithTimeout();

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await AssertSessionGoneAsync(client);
    }

    [Fact]
    public async Task A_post_at_the_buffer_limit_is_accepted()
    {
        await using var host = await StartEchoAsync(o => o.MaxHttpBufferSize = 100);
        using var client = new PollingClient(host, EchoPath);
        await client.HandshakeAsync();
        var message = "4" + new string('x', 99);

        await client.SendAsync(message);

        Assert.Equal(message, await client.PollAsync());
    }

    [Theory]
    [InlineData("x")]
    [InlineData("9oops")]
    [InlineData("7")]
    [InlineData("b!!not-base64!!")]
    public async Task A_post_with_a_malformed_payload_closes_the_session(string payload)
    {
        await using var host = await StartEchoAsync();
        using var client = new PollingClient(host, EchoPath);
        await client.HandshakeAsync();

        using var response = await client.PostAsync(payload).WithTimeout();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await AssertSessionGoneAsync(client);
    }

    [Fact]
    public async Task A_close_packet_from_the_client_answers_the_pending_get_with_a_noop_and_ends_the_session()
    {
        var probe = new RequestProbe();
        await using var host = await StartEchoAsync(probe: probe);
        using var client = new PollingClient(host, EchoPath);
        await client.HandshakeAsync();
        var arrived = probe.ExpectPoll(client.Sid);
        var poll = client.GetAsync();
        await arrived.WithTimeout();

        await client.SendAsync("1");

        using var released = await poll.WithTimeout();
        Assert.Equal(HttpStatusCode.OK, released.StatusCode);

        // As the protocol and the reference server answer it: the client closed, so no close packet comes back.
        Assert.Equal("6", await released.Content.ReadAsStringAsync().WithTimeout());
        await AssertSessionGoneAsync(client);
    }

    [Fact]
    public async Task A_poll_that_arrives_just_after_the_client_closed_is_answered_with_a_noop_and_then_the_sid_is_gone()
    {
        await using var host = await StartEchoAsync();
        using var client = new PollingClient(host, EchoPath);
        await client.HandshakeAsync();

        // The reference client sends the close packet and its next poll at once; here the close wins the race.
        await client.SendAsync("1");

        Assert.Equal("6", await client.PollAsync());
        await AssertSessionGoneAsync(client);
    }

    [Fact]
    public async Task A_socket_io_session_closed_by_the_client_is_no_longer_counted()
    {
        var closed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await TestHost.StartAsync(handlers: io => io.On("connection", s => s.OnDisconnect(r => closed.TrySetResult(r))));
        using var client = new PollingClient(host);
        await client.HandshakeAsync();
        await client.SendAsync("40");
        Assert.StartsWith("40{\"sid\":", await client.PollAsync());

        await client.SendAsync("1");

        Assert.Equal("transport close", await closed.Task.WithTimeout());
        Assert.Equal(0, host.IO.ConnectionCount);
    }

    [Fact]
    public async Task Overlapping_posts_are_refused_with_400_and_close_the_session()
    {
        var probe = new RequestProbe();
        await using var host = await StartEchoAsync(probe: probe);
        using var client = new PollingClient(host, EchoPath);
        await client.HandshakeAsync();
        var arrived = probe.Expect(r => HttpMethods.IsPost(r.Method) && r.Query["sid"] == client.Sid);
        using var slow = new SlowContent("4first");
        var first = client.Http.PostAsync(client.SessionUrl, slow);
        await arrived.WithTimeout();

        using var second = await client.PostAsync("4second").WithTimeout();
        slow.Finish();
        using var _ = await first.WithTimeout();

        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        await AssertSessionGoneAsync(client);
    }

    [Fact]
    public async Task A_client_that_abandons_its_pending_get_loses_the_session_with_a_transport_error()
    {
        var probe = new RequestProbe();
        var reason = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await TestHost.StartAsync(
            handlers: io => io.On("connection", s => s.OnDisconnect(r => reason.TrySetResult(r))),
            mapMore: probe.Attach);
        using var client = new PollingClient(host);
        await client.HandshakeAsync();
        await client.SendAsync("40");
        Assert.StartsWith("40{", await client.PollAsync());
        var arrived = probe.ExpectPoll(client.Sid);
        using var abandon = new CancellationTokenSource();
        var poll = client.Http.GetAsync(client.SessionUrl, abandon.Token);
        await arrived.WithTimeout();

        abandon.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => poll.WithTimeout());
        Assert.Equal("transport error", await reason.Task.WithTimeout());
        await AssertSessionGoneAsync(client);
    }

    [Fact]
    public async Task A_session_that_started_on_websocket_refuses_polling_requests_with_code_3()
    {
        await using var host = await StartEchoAsync();
        await using var ws = await WsClient.ConnectAsync(host.WebSocketUrl("EIO=4&transport=websocket", EchoPath));
        var sid = (await ws.ReceiveOpenAsync()).GetProperty("sid").GetString()!;
        using var http = new HttpClient();

        using var response = await http.GetAsync(host.Url($"EIO=4&transport=polling&sid={sid}", EchoPath)).WithTimeout();

        await EnginePayload.AssertErrorAsync(response, HttpStatusCode.BadRequest, 3, "Bad request");
        await ws.SendTextAsync("4alive");
        Assert.Equal("4alive", await ws.ReceiveTextAsync());
    }

    [Fact]
    public async Task A_post_that_is_not_valid_utf8_closes_the_session()
    {
        await using var host = await StartEchoAsync();
        using var client = new PollingClient(host, EchoPath);
        await client.HandshakeAsync();

        using var response = await client.Http.PostAsync(client.SessionUrl, new ByteArrayContent([(byte)'4', 0xff, 0xfe])).WithTimeout();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await AssertSessionGoneAsync(client);
    }

    [Fact]
    public async Task A_polling_client_that_joins_no_namespace_in_time_gets_the_close_packet_on_its_pending_get()
    {
        var time = new FakeTimeProvider();
        await using var host = await TestHost.StartAsync(configure: o => o.PingInterval = TimeSpan.FromMinutes(1), services: s => s.AddSingleton<TimeProvider>(time));
        using var client = new PollingClient(host);
        await client.HandshakeAsync();
        var poll = client.PollAsync();
        await host.WaitUntilAsync(() => host.IO.Engine.HasPendingPoll(client.Sid));

        time.Advance(host.IO.Options.ConnectTimeout);

        Assert.Equal("1", await poll.WithTimeout());
        await AssertSessionGoneAsync(client);
    }

    [Fact]
    public async Task A_server_disconnect_is_flushed_to_a_polling_client_then_the_close_packet_comes_alone()
    {
        var connected = new TaskCompletionSource<SocketIOSocket>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await TestHost.StartAsync(handlers: io => io.On("connection", s => connected.TrySetResult(s)));
        using var client = new PollingClient(host);
        await client.HandshakeAsync();
        await client.SendAsync("40");
        Assert.StartsWith("40{", await client.PollAsync());
        var socket = await connected.Task.WithTimeout();

        socket.Emit("last words");
        socket.Disconnect(close: true);

        using var response = await client.GetAsync().WithTimeout();
        var body = await response.Content.ReadAsStringAsync().WithTimeout();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"the next poll got {(int)response.StatusCode} {body}");
        Assert.Equal(["42[\"last words\"]", "41"], EnginePayload.Split(body));

        // As the reference server: the close packet in a payload of its own, so the official client has
        // handled the DISCONNECT before it sees the transport close. Then the sid is gone.
        Assert.Equal("1", await client.PollAsync());
        using var after = await client.GetAsync().WithTimeout();
        Assert.Equal(HttpStatusCode.BadRequest, after.StatusCode);
    }

    /// <summary>A request body that sends its first part and then waits, to keep a POST in flight.</summary>
    private sealed class SlowContent(string first) : HttpContent
    {
        private readonly TaskCompletionSource _finish = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Finish() => _finish.TrySetResult();

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            await stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(first));
            await stream.FlushAsync();
            await _finish.Task.WithTimeout();
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
