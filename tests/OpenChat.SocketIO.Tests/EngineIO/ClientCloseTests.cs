using OpenChat.SocketIO.EngineIO;

namespace OpenChat.SocketIO.Tests.EngineIO;

/// <summary>
/// A client that closes its session: over polling the close packet and the client's last poll travel at
/// once, so the session answers that poll with a noop whichever arrives first, then lets its id go.
/// </summary>
public sealed class ClientCloseTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(1);

    [Fact]
    public async Task A_polling_session_the_client_closed_keeps_its_id_until_its_last_poll_is_answered()
    {
        var h = new SessionHarness();
        var polling = h.OpenOnPolling();

        await h.ReceiveAsync("1");

        Assert.Equal(["transport close"], h.Handler.Closes);
        Assert.Equal(1, h.Registry.Held);
        Assert.Equal(0, h.ReleasedCount);
        Assert.Equal(1, polling.Aborts);

        h.Session.OnDrained(polling);

        Assert.Equal(1, h.ReleasedCount);
    }

    [Fact]
    public async Task A_polling_session_the_client_closed_lets_its_id_go_when_no_poll_comes_within_the_close_timeout()
    {
        var h = new SessionHarness();
        h.OpenOnPolling();
        await h.ReceiveAsync("1");

        h.Time.Advance(h.Options.CloseTimeout - Tick);
        Assert.Equal(0, h.ReleasedCount);
        h.Time.Advance(Tick);

        Assert.Equal(1, h.ReleasedCount);
        Assert.Equal(["transport close"], h.Handler.Closes);
    }

    [Fact]
    public async Task A_websocket_session_the_client_closed_lets_its_id_go_at_once()
    {
        var h = new SessionHarness();
        var websocket = new SessionHarness.RecordingTransport("websocket");
        h.Session.Open(websocket, canUpgrade: false);

        await h.ReceiveAsync("1");

        Assert.Equal(0, h.Registry.Held);
        Assert.Equal(1, h.ReleasedCount);
        Assert.Equal(1, websocket.Aborts);
    }

    [Fact]
    public void A_polling_session_the_server_closed_hard_lets_its_id_go_at_once()
    {
        var h = new SessionHarness();
        h.OpenOnPolling();

        h.Session.Close(DisconnectReasons.TransportError, graceful: false);

        Assert.Equal(0, h.Registry.Held);
        Assert.Equal(1, h.ReleasedCount);
    }
}
