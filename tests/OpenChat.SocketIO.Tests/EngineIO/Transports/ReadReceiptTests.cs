using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using OpenChat.SocketIO.Tests.Hardening;
using OpenChat.SocketIO.Tests.Infrastructure;

namespace OpenChat.SocketIO.Tests.EngineIO.Transports;

/// <summary>
/// The CONNECT reply reaches the client on its own, before the connection handler's first packet: over
/// WebSocket the server pings after it and holds what follows until the client's pong says it has read it;
/// over polling it ends its payload. The server runs on virtual time, so only the client moves it on.
/// </summary>
public sealed class ReadReceiptTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly LogCapture _logs = new();

    private Task<TestHost> StartAsync() => TestHost.StartAsync(
        handlers: io => io.On("connection", s => { s.Emit("welcome", "first"); }),
        services: s =>
        {
            s.AddSingleton<TimeProvider>(_time);
            s.AddLogging(l => l.AddProvider(_logs).SetMinimumLevel(LogLevel.Debug));
        });

    private static async Task<(WireWebSocket Socket, string Sid)> ConnectAsync(TestHost host)
    {
        var wire = await WireWebSocket.ConnectAsync(host.BaseUri, "/socket.io/?EIO=4&transport=websocket");
        var open = Encoding.UTF8.GetString((await wire.ReceiveFrameAsync()).Payload);
        using var handshake = JsonDocument.Parse(open[1..]);
        await wire.SendTextAsync("40");
        Assert.StartsWith("40{\"sid\":", Text(await wire.ReceiveFrameAsync()));
        return (wire, handshake.RootElement.GetProperty("sid").GetString()!);
    }

    private static string Text(WireFrame frame)
    {
        Assert.Equal(WireFrame.Text, frame.Opcode);
        return Encoding.UTF8.GetString(frame.Payload);
    }

    [Fact]
    public async Task Over_websocket_the_handlers_first_packet_waits_in_the_queue_until_the_client_answers_the_ping_after_the_connect_reply()
    {
        await using var host = await StartAsync();
        var (wire, sid) = await ConnectAsync(host);
        using var _ = wire;

        var ping = await wire.ReceiveFrameAsync();
        Assert.Equal(WireFrame.Ping, ping.Opcode);
        await host.WaitUntilAsync(() => host.IO.Engine.QueuedFrames(sid) == 1);

        await wire.SendFrameAsync(WireFrame.Pong, ping.Payload);

        Assert.Equal("42[\"welcome\",\"first\"]", Text(await wire.ReceiveFrameAsync()));
        Assert.DoesNotContain(_logs.Entries, e => e.EventId.Name == "NoReadReceipt");
    }

    [Fact]
    public async Task Over_websocket_a_client_that_never_answers_pings_gets_the_held_packets_once_the_ping_timeout_has_passed()
    {
        await using var host = await StartAsync();
        var (wire, sid) = await ConnectAsync(host);
        using var _ = wire;
        Assert.Equal(WireFrame.Ping, (await wire.ReceiveFrameAsync()).Opcode);
        await host.WaitUntilAsync(() => host.IO.Engine.QueuedFrames(sid) == 1);

        _time.Advance(host.IO.Options.PingTimeout);

        Assert.Equal("42[\"welcome\",\"first\"]", Text(await wire.ReceiveFrameAsync()));
        Assert.Contains(_logs.Entries, e => e.EventId.Name == "NoReadReceipt" && e.Mentions(sid));
    }

    [Fact]
    public async Task Over_polling_the_connect_reply_ends_its_payload_and_the_handlers_first_packet_comes_with_the_next_poll()
    {
        await using var host = await StartAsync();
        using var client = new PollingClient(host);
        await client.HandshakeAsync();
        await client.SendAsync("40");
        await host.WaitUntilAsync(() => host.IO.Engine.QueuedFrames(client.Sid) == 2);

        Assert.StartsWith("40{\"sid\":", await client.PollAsync());
        Assert.Equal("42[\"welcome\",\"first\"]", await client.PollAsync());
    }
}
