using System.Net;
using System.Net.WebSockets;
using OpenChat.SocketIO.Tests.Infrastructure;

namespace OpenChat.SocketIO.Tests.Hardening;

/// <summary>
/// Cross-site and session-hijack attempts not covered by RequestValidationTests (which has the default
/// policy, the wildcard, an allowed origin, preflights, and polling after an upgrade).
/// </summary>
public sealed class CrossSiteTests
{
    private const string Trusted = "https://chat.example";
    private const string Evil = "https://evil.example";

    // Idle polling sessions would otherwise hold up the host's stop for the whole close timeout.
    private static void QuickClose(SocketIOOptions o) => o.CloseTimeout = TimeSpan.FromMilliseconds(100);

    private static Task<TestHost> StartWithAllowListAsync() => TestHost.StartAsync(o =>
    {
        o.Cors.AllowedOrigins.Add(Trusted);
        QuickClose(o);
    });

    [Fact]
    public async Task With_an_allow_list_a_polling_handshake_from_an_origin_not_on_it_is_refused_with_403()
    {
        await using var host = await StartWithAllowListAsync();
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, host.Url("EIO=4&transport=polling"));
        request.Headers.Add("Origin", Evil);

        using var response = await http.SendAsync(request).WithTimeout();

        await EnginePayload.AssertErrorAsync(response, HttpStatusCode.Forbidden, 4, "Forbidden");
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.Equal(0, host.IO.ConnectionCount);
    }

    [Fact]
    public async Task With_an_allow_list_a_websocket_handshake_from_an_origin_not_on_it_is_refused_with_403()
    {
        await using var host = await StartWithAllowListAsync();

        var (status, client) = await WsClient.TryConnectAsync(host.WebSocketUrl("EIO=4&transport=websocket"), o => o.SetRequestHeader("Origin", Evil));

        Assert.Null(client);
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal(0, host.IO.ConnectionCount);
    }

    [Fact]
    public async Task With_an_allow_list_a_foreign_origin_cannot_use_a_session_opened_by_a_trusted_one()
    {
        await using var host = await StartWithAllowListAsync();
        using var trusted = new PollingClient(host);
        trusted.Http.DefaultRequestHeaders.Add("Origin", Trusted);
        await trusted.HandshakeAsync();
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, trusted.SessionUrl) { Content = new StringContent("40") };
        request.Headers.Add("Origin", Evil);

        using var response = await http.SendAsync(request).WithTimeout();

        await EnginePayload.AssertErrorAsync(response, HttpStatusCode.Forbidden, 4, "Forbidden");
        Assert.Equal(0, host.IO.MainNamespace.SocketCount);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Clients_that_send_no_origin_are_served_with_or_without_an_allow_list(bool withAllowList)
    {
        await using var host = withAllowList ? await StartWithAllowListAsync() : await TestHost.StartAsync(QuickClose);
        using var polling = new PollingClient(host);

        await polling.HandshakeAsync();
        await using var ws = await WsClient.ConnectAsync(host.WebSocketUrl("EIO=4&transport=websocket"));
        await ws.ReceiveOpenAsync();

        Assert.Equal(2, host.IO.ConnectionCount);
    }

    [Fact]
    public async Task A_second_websocket_for_a_sid_whose_upgrade_is_in_progress_is_refused_and_the_first_upgrade_completes()
    {
        await using var host = await TestHost.StartAsync();
        using var polling = new PollingClient(host);
        await polling.HandshakeAsync();
        var upgradeUrl = host.WebSocketUrl($"EIO=4&transport=websocket&sid={polling.Sid}");
        await using var first = await WsClient.ConnectAsync(upgradeUrl);
        await first.SendTextAsync("2probe");
        Assert.Equal("3probe", await first.ReceiveTextAsync());

        // The first upgrade is probed but not completed: a second WebSocket tries to take the session over.
        await using var second = await WsClient.ConnectAsync(upgradeUrl);
        var (before, close) = await second.ReceiveUntilClosedAsync();

        Assert.Empty(before);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, close.CloseStatus);
        await first.SendTextAsync("5");
        await first.SendTextAsync("40");
        Assert.StartsWith("40{\"sid\":", await first.ReceiveTextAsync());
        Assert.Equal(1, host.IO.ConnectionCount);
    }

    [Fact]
    public async Task A_second_websocket_for_a_sid_that_started_on_websocket_is_refused_and_the_first_carries_on()
    {
        await using var host = await TestHost.StartAsync();
        await using var first = await RawSocketIOClient.OpenWebSocketAsync(host);
        await first.JoinAsync();

        await using var intruder = await WsClient.ConnectAsync(host.WebSocketUrl($"EIO=4&transport=websocket&sid={first.EngineSid}"));
        var (before, close) = await intruder.ReceiveUntilClosedAsync();

        Assert.DoesNotContain(before, m => m.Text.StartsWith("4", StringComparison.Ordinal));
        Assert.True(close.IsClose);
        host.IO.Emit("news", 1);
        Assert.Equal("42[\"news\",1]", await first.NextAsync(p => p.StartsWith("42", StringComparison.Ordinal)));
        Assert.False(first.Closed.IsCompleted);
    }

    [Fact]
    public async Task A_thousand_handshakes_get_a_thousand_distinct_url_safe_session_ids_of_twenty_characters()
    {
        // A thousand sessions from one address that never join: lift the handshake limits meant for floods.
        await using var host = await TestHost.StartAsync(o =>
        {
            QuickClose(o);
            o.HandshakesPerMinutePerIp = null;
            o.MaxPendingSessionsPerIp = 1000;
        });
        using var http = new HttpClient();
        var sids = new System.Collections.Concurrent.ConcurrentBag<string>();

        await Parallel.ForEachAsync(Enumerable.Range(0, 1000), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (_, ct) =>
        {
            var body = await http.GetStringAsync(host.Url("EIO=4&transport=polling"), ct).WithTimeout();
            sids.Add(EnginePayload.ParseOpen(body).GetProperty("sid").GetString()!);
        }).WithTimeout(TimeSpan.FromSeconds(60));

        Assert.Equal(1000, sids.Count);
        Assert.All(sids, sid => Assert.Matches("^[A-Za-z0-9_-]{20}$", sid));
        Assert.Equal(1000, sids.Distinct(StringComparer.Ordinal).Count());
    }
}
