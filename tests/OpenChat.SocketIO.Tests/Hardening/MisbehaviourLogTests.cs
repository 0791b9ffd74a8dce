using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using OpenChat.SocketIO.Tests.Infrastructure;

namespace OpenChat.SocketIO.Tests.Hardening;

/// <summary>
/// A client's fault is the client's problem: the server notes it at Debug or Information, naming the
/// session, and never logs it as an Error with a stack trace (Error means a server bug).
/// </summary>
public sealed class MisbehaviourLogTests
{
    private const int BufferLimit = 1000;

    private static Task<TestHost> StartAsync(LogCapture logs, DisconnectReasonLog reasons) =>
        HardeningHost.StartAsync(logs, o => o.MaxHttpBufferSize = BufferLimit, io => io.On("connection", reasons.Track));

    private static LogEntry AssertNotedForClient(LogCapture logs, string eventName, string? sid)
    {
        var entries = logs.Entries.Where(e => e.EventId.Name == eventName).ToList();
        var entry = Assert.Single(entries);
        Assert.True(entry.Level is LogLevel.Debug or LogLevel.Information, $"{eventName} was logged at {entry.Level}");
        Assert.Null(entry.Exception);
        if (sid is not null)
        {
            Assert.True(entry.Mentions(sid), $"{entry} does not name the session {sid}");
        }

        logs.AssertNoFaults();
        return entry;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_malformed_packet_is_noted_with_the_session_id(bool webSocket)
    {
        var logs = new LogCapture();
        var reasons = new DisconnectReasonLog();
        await using var host = await StartAsync(logs, reasons);
        await using var client = await RawSocketIOClient.OpenAsync(host, webSocket);
        await client.JoinAsync();

        await client.SendAsync("42[\"unterminated");

        Assert.Equal("parse error", await reasons.For(client.SocketId).WithTimeout());
        AssertNotedForClient(logs, "MalformedPacket", client.EngineSid);
    }

    [Fact]
    public async Task A_malformed_polling_payload_is_noted_with_the_session_id()
    {
        var logs = new LogCapture();
        var reasons = new DisconnectReasonLog();
        await using var host = await StartAsync(logs, reasons);
        await using var client = await RawSocketIOClient.OpenPollingAsync(host);
        await client.JoinAsync();

        Assert.Equal(HttpStatusCode.BadRequest, await client.PostAsync("b!!!"u8.ToArray()));

        Assert.Equal("parse error", await reasons.For(client.SocketId).WithTimeout());
        AssertNotedForClient(logs, "MalformedPayload", client.EngineSid);
    }

    [Fact]
    public async Task An_oversized_polling_body_is_noted_with_the_session_id()
    {
        var logs = new LogCapture();
        var reasons = new DisconnectReasonLog();
        await using var host = await StartAsync(logs, reasons);
        await using var client = await RawSocketIOClient.OpenPollingAsync(host);
        await client.JoinAsync();

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, await client.PostAsync(Encoding.UTF8.GetBytes("4" + new string('x', BufferLimit))));

        Assert.Equal("transport error", await reasons.For(client.SocketId).WithTimeout());
        AssertNotedForClient(logs, "PayloadTooLarge", client.EngineSid);
    }

    [Fact]
    public async Task An_oversized_websocket_message_is_noted_with_the_session_id()
    {
        var logs = new LogCapture();
        var reasons = new DisconnectReasonLog();
        await using var host = await StartAsync(logs, reasons);
        await using var client = await RawSocketIOClient.OpenWebSocketAsync(host);
        await client.JoinAsync();

        await client.TrySendFrameAsync(Encoding.UTF8.GetBytes("4" + new string('x', BufferLimit)), binary: false);

        Assert.Equal("transport error", await reasons.For(client.SocketId).WithTimeout());
        AssertNotedForClient(logs, "MessageTooLarge", client.EngineSid);
    }

    [Fact]
    public async Task An_overlapping_poll_is_noted_with_the_session_id()
    {
        var logs = new LogCapture();
        var reasons = new DisconnectReasonLog();
        var probe = new RequestProbe();
        await using var host = await HardeningHost.StartAsync(logs, handlers: io => io.On("connection", reasons.Track), mapMore: probe.Attach);
        using var client = new PollingClient(host);
        await client.HandshakeAsync();
        await client.SendAsync("40");
        await client.PollAsync();
        var pending = probe.ExpectPoll(client.Sid);
        var first = client.GetAsync();
        await pending.WithTimeout();

        using var second = await client.GetAsync().WithTimeout();

        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);
        using var released = await first.WithTimeout();
        AssertNotedForClient(logs, "OverlappingPoll", client.Sid);
        Assert.Single(logs.Entries, e => e.EventId.Name == "SessionClosed" && e.Message.Contains("transport error", StringComparison.Ordinal) && e.Mentions(client.Sid));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_request_from_a_refused_origin_is_noted_with_the_origin(bool webSocket)
    {
        const string evil = "https://evil.example";
        var logs = new LogCapture();
        await using var host = await HardeningHost.StartAsync(logs);

        if (webSocket)
        {
            var (status, _) = await WsClient.TryConnectAsync(host.WebSocketUrl("EIO=4&transport=websocket"), o => o.SetRequestHeader("Origin", evil));
            Assert.Equal(HttpStatusCode.Forbidden, status);
        }
        else
        {
            using var http = new HttpClient();
            using var request = new HttpRequestMessage(HttpMethod.Get, host.Url("EIO=4&transport=polling"));
            request.Headers.Add("Origin", evil);
            using var response = await http.SendAsync(request).WithTimeout();
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        var entry = AssertNotedForClient(logs, "OriginRejected", sid: null);
        Assert.Contains(evil, entry.Message);
    }
}
