using System.Net;
using Microsoft.Extensions.Time.Testing;
using OpenChat.SocketIO.Tests.Hardening;
using OpenChat.SocketIO.Tests.Infrastructure;

namespace OpenChat.SocketIO.Tests.EngineIO;

/// <summary>
/// Sessions that joined no namespace yet are bounded overall (503) and per address (429), free their place
/// as soon as they join or close, and expire after the connect timeout.
/// </summary>
public sealed class PendingSessionsTests
{
    private const int Bound = 3;

    // These polling sessions never poll again; a short close timeout keeps them from holding up the host's stop.
    private static readonly TimeSpan QuickClose = TimeSpan.FromMilliseconds(100);

    [Fact]
    public void The_defaults_bound_pending_sessions_and_expire_them_after_ten_seconds()
    {
        var options = new SocketIOOptions();

        Assert.Equal(1024, options.MaxPendingSessions);
        Assert.Equal(256, options.MaxPendingSessionsPerIp);
        Assert.Equal(TimeSpan.FromSeconds(10), options.ConnectTimeout);
    }

    [Fact]
    public async Task Pending_sessions_from_one_address_beyond_the_bound_get_429_and_a_session_that_joins_frees_its_place()
    {
        await using var host = await TestHost.StartAsync(o =>
        {
            o.MaxPendingSessionsPerIp = Bound;
            o.CloseTimeout = QuickClose;
        });
        using var http = new HttpClient();
        await using var joining = await RawSocketIOClient.OpenWebSocketAsync(host);
        for (var i = 1; i < Bound; i++)
        {
            using var admitted = await http.GetAsync(host.Url("EIO=4&transport=polling")).WithTimeout();
            Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
        }

        using (var refused = await http.GetAsync(host.Url("EIO=4&transport=polling")).WithTimeout())
        {
            await EnginePayload.AssertErrorAsync(refused, HttpStatusCode.TooManyRequests, 3, "Too many pending sessions from this address");
        }

        var (status, webSocket) = await WsClient.TryConnectAsync(host.WebSocketUrl("EIO=4&transport=websocket"));
        Assert.Null(webSocket);
        Assert.Equal(HttpStatusCode.TooManyRequests, status);
        Assert.Equal(Bound, host.IO.PendingConnectionCount);

        await joining.JoinAsync();

        Assert.Equal(Bound - 1, host.IO.PendingConnectionCount);
        using var next = await http.GetAsync(host.Url("EIO=4&transport=polling")).WithTimeout();
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(Bound + 1, host.IO.ConnectionCount);
    }

    [Fact]
    public async Task Pending_sessions_beyond_the_overall_bound_get_503()
    {
        await using var host = await TestHost.StartAsync(o =>
        {
            o.MaxPendingSessions = Bound;
            o.CloseTimeout = QuickClose;
        });
        using var http = new HttpClient();
        for (var i = 0; i < Bound; i++)
        {
            using var admitted = await http.GetAsync(host.Url("EIO=4&transport=polling")).WithTimeout();
            Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
        }

        using var refused = await http.GetAsync(host.Url("EIO=4&transport=polling")).WithTimeout();

        await EnginePayload.AssertErrorAsync(refused, HttpStatusCode.ServiceUnavailable, 3, "Too many pending sessions");
    }

    [Fact]
    public async Task A_pending_session_that_closes_frees_its_place_at_once()
    {
        await using var host = await TestHost.StartAsync(o => o.MaxPendingSessionsPerIp = 1);
        await using (var first = await WsClient.ConnectAsync(host.WebSocketUrl("EIO=4&transport=websocket")))
        {
            await first.ReceiveOpenAsync();
            Assert.Equal(1, host.IO.PendingConnectionCount);
        }

        await host.WaitUntilAsync(() => host.IO.PendingConnectionCount == 0);
        await using var second = await WsClient.ConnectAsync(host.WebSocketUrl("EIO=4&transport=websocket"));
        await second.ReceiveOpenAsync();
    }

    [Fact]
    public async Task A_pending_session_expires_after_the_connect_timeout_and_its_place_is_free_again()
    {
        var time = new FakeTimeProvider();
        await using var host = await TestHost.StartAsync(
            o =>
            {
                o.MaxPendingSessionsPerIp = 1;
                o.PingInterval = TimeSpan.FromHours(1);
            },
            services: s => s.AddSingleton<TimeProvider>(time));
        await using var idle = await WsClient.ConnectAsync(host.WebSocketUrl("EIO=4&transport=websocket"));
        await idle.ReceiveOpenAsync();
        var (refusedStatus, _) = await WsClient.TryConnectAsync(host.WebSocketUrl("EIO=4&transport=websocket"));
        Assert.Equal(HttpStatusCode.TooManyRequests, refusedStatus);

        time.Advance(host.IO.Options.ConnectTimeout);

        await idle.ReceiveUntilClosedAsync();
        Assert.Equal(0, host.IO.PendingConnectionCount);
        await using var next = await WsClient.ConnectAsync(host.WebSocketUrl("EIO=4&transport=websocket"));
        await next.ReceiveOpenAsync();
    }

    [Fact]
    public async Task A_flood_of_refused_handshakes_logs_one_warning_with_the_count()
    {
        var logs = new LogCapture();
        await using var host = await HardeningHost.StartAsync(logs, o =>
        {
            o.MaxPendingSessionsPerIp = 1;
            o.CloseTimeout = QuickClose;
        });
        using var http = new HttpClient();

        for (var i = 0; i < 20; i++)
        {
            using var response = await http.GetAsync(host.Url("EIO=4&transport=polling")).WithTimeout();
        }

        var warning = Assert.Single(logs.Entries, e => e.EventId.Name == "TooManyPendingSessions");
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, warning.Level);
        logs.AssertNoFaults();
    }

    [Fact]
    public async Task A_raw_engine_io_endpoint_has_no_pending_sessions()
    {
        await using var host = await TestHost.StartAsync(
            services: s => s.AddEngineIO("/engine.io", o =>
            {
                o.MaxPendingSessionsPerIp = 1;
                o.CloseTimeout = QuickClose;
            }),
            mapMore: app => app.MapEngineIO("/engine.io", new EchoHandler()));
        using var http = new HttpClient();

        for (var i = 0; i < 3; i++)
        {
            using var admitted = await http.GetAsync(host.Url("EIO=4&transport=polling", "/engine.io/")).WithTimeout();
            Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
        }
    }

    private sealed class EchoHandler : OpenChat.SocketIO.EngineIO.IEngineIOHandler
    {
        public void OnOpen(OpenChat.SocketIO.EngineIO.EngineSession session)
        {
        }

        public ValueTask OnMessageAsync(OpenChat.SocketIO.EngineIO.EngineSession session, OpenChat.SocketIO.EngineIO.EnginePacket message) => ValueTask.CompletedTask;

        public void OnClose(OpenChat.SocketIO.EngineIO.EngineSession session, string reason)
        {
        }
    }
}
