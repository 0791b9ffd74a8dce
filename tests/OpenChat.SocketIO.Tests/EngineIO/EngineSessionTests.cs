using OpenChat.SocketIO.EngineIO;

namespace OpenChat.SocketIO.Tests.EngineIO;

/// <summary>The session's life as a state machine, on virtual time: heartbeat, upgrade, close and drain.</summary>
public sealed class EngineSessionTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(1);

    [Fact]
    public void Opening_queues_the_handshake_then_tells_the_handler()
    {
        var h = new SessionHarness();
        Assert.Equal(EngineSessionState.Opening, h.Session.Status);

        h.OpenOnPolling();

        Assert.Equal(EngineSessionState.Open, h.Session.Status);
        Assert.Equal(1, h.Handler.Opened);
        var handshake = Assert.Single(h.TakeQueued());
        Assert.StartsWith("0{\"sid\":\"sid\",\"upgrades\":[\"websocket\"],\"pingInterval\":25000,\"pingTimeout\":20000", handshake);
    }

    [Fact]
    public void The_first_ping_goes_out_one_ping_interval_after_the_handshake_and_not_before()
    {
        var h = new SessionHarness();
        h.OpenOnPolling();
        h.TakeQueued();

        h.Time.Advance(h.Options.PingInterval - Tick);
        Assert.Empty(h.TakeQueued());

        h.Time.Advance(Tick);
        Assert.Equal(["2"], h.TakeQueued());
    }

    [Fact]
    public async Task After_a_pong_the_next_ping_comes_one_interval_later()
    {
        var h = new SessionHarness();
        h.OpenOnPolling();
        h.TakeQueued();
        h.Time.Advance(h.Options.PingInterval);
        h.TakeQueued();

        h.Time.Advance(TimeSpan.FromSeconds(3));
        await h.ReceiveAsync("3");
        h.Time.Advance(h.Options.PingInterval - Tick);
        Assert.Empty(h.TakeQueued());
        h.Time.Advance(Tick);

        Assert.Equal(["2"], h.TakeQueued());
        Assert.Equal(EngineSessionState.Open, h.Session.Status);
    }

    [Fact]
    public void A_client_that_does_not_pong_is_closed_with_ping_timeout_exactly_when_the_timeout_ends()
    {
        var h = new SessionHarness();
        var polling = h.OpenOnPolling();
        h.Time.Advance(h.Options.PingInterval);

        h.Time.Advance(h.Options.PingTimeout - Tick);
        Assert.Equal(EngineSessionState.Open, h.Session.Status);
        h.Time.Advance(Tick);

        Assert.Equal(EngineSessionState.Closed, h.Session.Status);
        Assert.Equal(["ping timeout"], h.Handler.Closes);
        Assert.Equal(1, h.ReleasedCount);
        Assert.Equal(1, polling.Aborts);
    }

    [Fact]
    public async Task A_pong_nobody_asked_for_does_not_postpone_the_next_ping_or_its_timeout()
    {
        var h = new SessionHarness();
        h.OpenOnPolling();
        h.TakeQueued();
        h.Time.Advance(h.Options.PingInterval - TimeSpan.FromSeconds(1));

        await h.ReceiveAsync("3");
        h.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(["2"], h.TakeQueued());
        await h.ReceiveAsync("3");
        await h.ReceiveAsync("3");
        h.Time.Advance(h.Options.PingInterval);
        Assert.Equal(["2"], h.TakeQueued());
        await h.ReceiveAsync("3");
        await h.ReceiveAsync("3");

        h.Time.Advance(h.Options.PingInterval);
        Assert.Equal(["2"], h.TakeQueued());
        h.Time.Advance(h.Options.PingTimeout);
        Assert.Equal(["ping timeout"], h.Handler.Closes);
    }

    [Fact]
    public async Task Messages_reach_the_handler_in_order_until_the_session_closes()
    {
        var h = new SessionHarness();
        h.OpenOnPolling();

        await h.ReceiveAsync("4one");
        await h.ReceiveAsync("4two");
        h.Session.Close();
        await h.ReceiveAsync("4late");

        Assert.Equal(["one", "two"], h.Handler.Messages);
    }

    [Fact]
    public async Task A_close_packet_from_the_client_closes_at_once_with_transport_close()
    {
        var h = new SessionHarness();
        var polling = h.OpenOnPolling();

        await h.ReceiveAsync("1");

        Assert.Equal(EngineSessionState.Closed, h.Session.Status);
        Assert.True(h.Session.ClosedByClient);
        Assert.Equal(["transport close"], h.Handler.Closes);
        Assert.Equal(1, polling.Aborts);
    }

    [Fact]
    public async Task A_ping_from_a_v4_client_breaks_the_protocol()
    {
        var h = new SessionHarness();
        h.OpenOnPolling();

        await h.ReceiveAsync("2");

        Assert.Equal(["transport error"], h.Handler.Closes);
    }

    [Fact]
    public void A_graceful_close_queues_the_close_packet_last_and_waits_for_the_transport_to_drain()
    {
        var h = new SessionHarness();
        var polling = h.OpenOnPolling();
        h.TakeQueued();
        h.Session.Send("bye");

        h.Session.Close();

        Assert.Equal(EngineSessionState.Closing, h.Session.Status);
        Assert.True(h.Session.IsClosed);
        Assert.False(h.Session.Send("too late"));
        Assert.Equal(["forced close"], h.Handler.Closes);
        Assert.Equal(0, h.ReleasedCount);
        Assert.Equal(1, polling.Releases);
        Assert.Equal(["4bye", "1"], h.TakeQueued());
        Assert.True(h.Session.Queue.IsDrained);

        h.Session.OnDrained(polling);

        Assert.Equal(EngineSessionState.Closed, h.Session.Status);
        Assert.Equal(1, h.ReleasedCount);
        Assert.True(h.Session.Released.IsCompleted);
        Assert.Equal(0, polling.Aborts);
    }

    [Fact]
    public void A_closing_session_that_never_drains_is_cut_off_when_the_close_timeout_ends()
    {
        var h = new SessionHarness();
        var polling = h.OpenOnPolling();
        h.Session.Close();

        h.Time.Advance(h.Options.CloseTimeout - Tick);
        Assert.Equal(EngineSessionState.Closing, h.Session.Status);
        Assert.Equal(0, h.ReleasedCount);
        h.Time.Advance(Tick);

        Assert.Equal(EngineSessionState.Closed, h.Session.Status);
        Assert.Equal(1, h.ReleasedCount);
        Assert.Equal(1, polling.Aborts);
        Assert.Equal(["forced close"], h.Handler.Closes);
    }

    [Fact]
    public void A_hard_close_while_closing_cuts_the_flush_short_without_a_second_close_event()
    {
        var h = new SessionHarness();
        var polling = h.OpenOnPolling();
        h.Session.Close();

        h.Session.OnTransportError(polling, DisconnectReasons.TransportError);

        Assert.Equal(EngineSessionState.Closed, h.Session.Status);
        Assert.Equal(1, h.ReleasedCount);
        Assert.Equal(["forced close"], h.Handler.Closes);
        h.Time.Advance(h.Options.CloseTimeout);
        Assert.Equal(1, h.ReleasedCount);
    }

    [Fact]
    public void No_ping_is_sent_once_the_session_closed()
    {
        var h = new SessionHarness();
        h.OpenOnPolling();
        h.Session.Close(DisconnectReasons.TransportClose, graceful: false);
        h.TakeQueued();

        h.Time.Advance(h.Options.PingInterval);
        h.Time.Advance(h.Options.PingTimeout);

        Assert.Empty(h.TakeQueued());
        Assert.Equal(["transport close"], h.Handler.Closes);
    }

    [Fact]
    public void A_client_that_cannot_keep_up_is_closed_with_transport_error_when_its_queue_overflows()
    {
        var h = new SessionHarness(o => o.MaxQueuedOutgoingBytes = 1024);
        h.OpenOnPolling();

        Assert.True(h.Session.Send(new string('a', 700)));
        Assert.False(h.Session.Send(new string('b', 700)));

        Assert.Equal(EngineSessionState.Closed, h.Session.Status);
        Assert.Equal(["transport error"], h.Handler.Closes);
    }

    [Fact]
    public void An_error_on_the_current_transport_closes_the_session_with_its_reason()
    {
        var h = new SessionHarness();
        var polling = h.OpenOnPolling();

        h.Session.OnTransportError(polling, DisconnectReasons.ParseError);

        Assert.Equal(["parse error"], h.Handler.Closes);
        Assert.Equal(1, h.ReleasedCount);
    }

    [Fact]
    public void A_transport_the_session_no_longer_uses_cannot_close_it()
    {
        var h = new SessionHarness();
        h.OpenOnPolling();

        h.Session.OnTransportClosed(new SessionHarness.RecordingTransport("websocket"));

        Assert.Equal(EngineSessionState.Open, h.Session.Status);
        Assert.Empty(h.Handler.Closes);
    }

    [Fact]
    public void An_upgrade_probes_the_candidate_releases_the_poll_then_switches_transports()
    {
        var h = new SessionHarness();
        var polling = h.OpenOnPolling();
        var candidate = new SessionHarness.RecordingTransport("websocket");

        Assert.True(h.Session.TryBeginUpgrade(candidate));
        Assert.Equal(EngineSessionState.Upgrading, h.Session.Status);
        Assert.False(h.Session.IsUpgradeProbed);

        h.Session.OnUpgradeProbed(candidate);
        Assert.True(h.Session.IsUpgradeProbed);
        Assert.Equal(0, polling.Releases);
        h.Session.OnUpgradeProbeAnswered(candidate);
        Assert.Equal(1, polling.Releases);

        Assert.True(h.Session.OnUpgradeRequested(candidate));
        Assert.Equal(EngineSessionState.Open, h.Session.Status);
        Assert.Equal("websocket", h.Session.Transport);
        Assert.Equal(2, polling.Releases);
        Assert.Null(h.Session.Polling);

        h.Time.Advance(h.Options.UpgradeTimeout);
        Assert.Equal(0, candidate.Aborts);
        Assert.Equal(EngineSessionState.Open, h.Session.Status);
    }

    [Fact]
    public void An_upgrade_not_completed_within_the_upgrade_timeout_is_abandoned_and_the_session_stays_on_polling()
    {
        var h = new SessionHarness();
        var polling = h.OpenOnPolling();
        var candidate = new SessionHarness.RecordingTransport("websocket");
        h.Session.TryBeginUpgrade(candidate);
        h.Session.OnUpgradeProbed(candidate);
        h.Session.OnUpgradeProbeAnswered(candidate);

        h.Time.Advance(h.Options.UpgradeTimeout - Tick);
        Assert.Equal(EngineSessionState.Upgrading, h.Session.Status);
        Assert.Equal(0, candidate.Aborts);
        h.Time.Advance(Tick);

        Assert.Equal(EngineSessionState.Open, h.Session.Status);
        Assert.Equal(1, candidate.Aborts);
        Assert.Equal("polling", h.Session.Transport);
        Assert.False(h.Session.OnUpgradeRequested(candidate));
        Assert.Equal(0, polling.Aborts);
        Assert.Empty(h.Handler.Closes);
    }

    [Fact]
    public void A_failed_candidate_abandons_the_upgrade_but_not_the_session()
    {
        var h = new SessionHarness();
        h.OpenOnPolling();
        var candidate = new SessionHarness.RecordingTransport("websocket");
        h.Session.TryBeginUpgrade(candidate);

        h.Session.OnTransportError(candidate, DisconnectReasons.TransportError);

        Assert.Equal(EngineSessionState.Open, h.Session.Status);
        Assert.Equal(1, candidate.Aborts);
        Assert.Empty(h.Handler.Closes);
        Assert.True(h.Session.TryBeginUpgrade(new SessionHarness.RecordingTransport("websocket")));
    }

    [Fact]
    public void Only_one_upgrade_at_a_time_and_none_once_on_websocket_closing_or_disallowed()
    {
        var h = new SessionHarness();
        h.OpenOnPolling();
        var first = new SessionHarness.RecordingTransport("websocket");
        Assert.True(h.Session.TryBeginUpgrade(first));
        Assert.False(h.Session.TryBeginUpgrade(new SessionHarness.RecordingTransport("websocket")));
        h.Session.OnUpgradeRequested(first);
        Assert.False(h.Session.TryBeginUpgrade(new SessionHarness.RecordingTransport("websocket")));

        var closing = new SessionHarness();
        closing.OpenOnPolling();
        closing.Session.Close();
        Assert.False(closing.Session.TryBeginUpgrade(new SessionHarness.RecordingTransport("websocket")));

        var disallowed = new SessionHarness(o => o.AllowUpgrades = false);
        disallowed.OpenOnPolling();
        Assert.False(disallowed.Session.TryBeginUpgrade(new SessionHarness.RecordingTransport("websocket")));
    }

    [Fact]
    public void Closing_during_an_upgrade_stops_the_candidate_too()
    {
        var h = new SessionHarness();
        h.OpenOnPolling();
        var candidate = new SessionHarness.RecordingTransport("websocket");
        h.Session.TryBeginUpgrade(candidate);

        h.Session.Close();

        Assert.Equal(1, candidate.Aborts);
        Assert.False(h.Session.OnUpgradeRequested(candidate));
        Assert.Equal("polling", h.Session.Transport);
    }

    [Fact]
    public void A_websocket_session_drains_through_its_own_transport()
    {
        var h = new SessionHarness();
        var ws = new SessionHarness.RecordingTransport("websocket");
        h.Session.Open(ws, canUpgrade: false);
        h.Session.Close();

        h.Session.OnDrained(new SessionHarness.RecordingTransport("polling"));
        Assert.Equal(0, h.ReleasedCount);
        h.Session.OnDrained(ws);

        Assert.Equal(1, h.ReleasedCount);
        Assert.False(h.Session.TryBeginUpgrade(new SessionHarness.RecordingTransport("websocket")));
    }
}
