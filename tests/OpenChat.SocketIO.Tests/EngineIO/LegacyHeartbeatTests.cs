using OpenChat.SocketIO.EngineIO;

namespace OpenChat.SocketIO.Tests.EngineIO;

/// <summary>The v3 heartbeat of Socket.IO 2.x clients, on virtual time: the client pings, the server answers.</summary>
public sealed class LegacyHeartbeatTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(1);

    private static SessionHarness OpenV3()
    {
        var h = new SessionHarness(query: "?EIO=3");
        h.OpenOnPolling();
        h.TakeQueued();
        return h;
    }

    [Fact]
    public async Task A_ping_from_the_client_is_answered_with_a_pong_and_the_server_never_pings()
    {
        var h = OpenV3();
        Assert.Equal(3, h.Session.Protocol);

        h.Time.Advance(h.Options.PingInterval);
        Assert.Empty(h.TakeQueued());
        await h.ReceiveAsync("2");

        Assert.Equal(["3"], h.TakeQueued());
        Assert.Empty(h.Handler.Closes);
    }

    [Fact]
    public async Task A_client_whose_next_ping_does_not_come_within_interval_and_timeout_is_closed_with_ping_timeout()
    {
        var h = OpenV3();
        h.Time.Advance(h.Options.PingInterval);
        await h.ReceiveAsync("2");

        h.Time.Advance(h.Options.PingInterval + h.Options.PingTimeout - Tick);
        Assert.Empty(h.Handler.Closes);
        h.Time.Advance(Tick);

        Assert.Equal(["ping timeout"], h.Handler.Closes);
    }

    [Fact]
    public void A_client_that_never_pings_is_closed_interval_and_timeout_after_the_handshake()
    {
        var h = OpenV3();

        h.Time.Advance(h.Options.PingInterval + h.Options.PingTimeout - Tick);
        Assert.False(h.Session.CloseIfHeartbeatOverdue());
        h.Time.Advance(Tick);

        Assert.Equal(["ping timeout"], h.Handler.Closes);
    }

    [Fact]
    public async Task A_pong_from_a_v3_client_breaks_the_protocol()
    {
        var h = OpenV3();

        await h.ReceiveAsync("3");

        Assert.Equal(["transport error"], h.Handler.Closes);
    }
}
