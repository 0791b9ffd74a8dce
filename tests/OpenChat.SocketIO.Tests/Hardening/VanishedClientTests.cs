using Microsoft.Extensions.Time.Testing;
using OpenChat.SocketIO.Tests.Infrastructure;

namespace OpenChat.SocketIO.Tests.Hardening;

/// <summary>
/// A client whose network vanished: its connection stays open, nothing it is sent is read and nothing comes
/// back, so only the heartbeat can tell. (HeartbeatTests covers a client that still reads but stops answering.)
/// </summary>
public sealed class VanishedClientTests
{
    [Fact]
    public async Task A_websocket_client_that_neither_reads_nor_answers_is_dropped_by_ping_timeout_and_its_handler_is_told_so()
    {
        var reasons = new DisconnectReasonLog();
        var sockets = new ConnectedSockets();
        var time = new FakeTimeProvider();
        await using var host = await TestHost.StartAsync(
            handlers: io => io.On("connection", s =>
            {
                reasons.Track(s);
                sockets.Track(s);
            }),
            services: s => s.AddSingleton<TimeProvider>(time));
        using var vanished = await StalledWebSocket.ConnectAsync(host.BaseUri, "/socket.io/?EIO=4&transport=websocket");
        await vanished.SendTextAsync("40");
        await sockets.WaitForCountAsync(1).WithTimeout();
        var socket = Assert.Single(host.IO.MainNamespace.Sockets);

        time.Advance(host.IO.Options.PingInterval);
        Assert.True(socket.Connected);
        time.Advance(host.IO.Options.PingTimeout);

        Assert.Equal("ping timeout", await reasons.For(socket.Id).WithTimeout());
        Assert.False(socket.Connected);
        Assert.Equal(0, host.IO.ConnectionCount);
    }
}
