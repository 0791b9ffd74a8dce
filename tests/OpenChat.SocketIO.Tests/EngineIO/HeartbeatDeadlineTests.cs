using OpenChat.SocketIO.EngineIO;

namespace OpenChat.SocketIO.Tests.EngineIO;

/// <summary>
/// On a machine too busy to run timers on time: the pong is due one ping timeout after the ping went out,
/// and a request after that deadline finds the session closed even before the late timer fires; so does one
/// from a client silent for more than a ping interval and a ping timeout, however late the ping went out.
/// </summary>
public sealed class HeartbeatDeadlineTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(1);

    [Fact]
    public void A_session_whose_pong_is_overdue_closes_with_ping_timeout_when_asked_though_its_timer_has_not_fired()
    {
        var clock = new ManualTimeProvider();
        var h = new SessionHarness(clock: clock);
        h.OpenOnPolling();
        clock.Advance(h.Options.PingInterval);
        clock.FireDue();

        clock.Advance(h.Options.PingTimeout - Tick);
        Assert.False(h.Session.CloseIfHeartbeatOverdue());
        clock.Advance(Tick);

        Assert.True(h.Session.CloseIfHeartbeatOverdue());
        Assert.Equal(["ping timeout"], h.Handler.Closes);
        Assert.Equal(1, h.ReleasedCount);
    }

    [Fact]
    public async Task A_pong_in_time_is_not_overdue_and_the_next_deadline_starts_from_it()
    {
        var clock = new ManualTimeProvider();
        var h = new SessionHarness(clock: clock);
        h.OpenOnPolling();
        clock.Advance(h.Options.PingInterval);
        clock.FireDue();
        clock.Advance(h.Options.PingTimeout - Tick);
        await h.ReceiveAsync("3");

        clock.Advance(h.Options.PingTimeout);
        Assert.False(h.Session.CloseIfHeartbeatOverdue());
        Assert.Equal(EngineSessionState.Open, h.Session.Status);
    }

    [Fact]
    public void A_client_silent_for_more_than_interval_and_timeout_is_closed_when_asked_even_if_its_ping_never_went_out()
    {
        var clock = new ManualTimeProvider();
        var h = new SessionHarness(clock: clock);
        h.OpenOnPolling();

        clock.Advance(h.Options.PingInterval + h.Options.PingTimeout);
        Assert.False(h.Session.CloseIfHeartbeatOverdue());
        clock.Advance(Tick);

        Assert.True(h.Session.CloseIfHeartbeatOverdue());
        Assert.Equal(["ping timeout"], h.Handler.Closes);
    }
}
