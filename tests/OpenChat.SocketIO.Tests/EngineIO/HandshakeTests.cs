using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using OpenChat.SocketIO.Tests.Infrastructure;

namespace OpenChat.SocketIO.Tests.EngineIO;

/// <summary>The Engine.IO v4 handshake over polling and over WebSocket, read from the wire.</summary>
public sealed partial class HandshakeTests
{
    private static readonly string[] OpenFields = ["sid", "upgrades", "pingInterval", "pingTimeout", "maxPayload"];

    [GeneratedRegex("^[A-Za-z0-9_-]{20}$")]
    private static partial Regex UrlSafeSid();

    private static string[] Upgrades(JsonElement open) => [.. open.GetProperty("upgrades").EnumerateArray().Select(u => u.GetString()!)];

    [Fact]
    public async Task A_polling_handshake_answers_an_open_packet_with_exactly_the_five_fields_in_order()
    {
        await using var host = await TestHost.StartAsync();
        using var http = new HttpClient();

        using var response = await http.GetAsync(host.Url("EIO=4&transport=polling")).WithTimeout();
        var body = await response.Content.ReadAsStringAsync().WithTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(EnginePayload.Separator, body);
        var open = EnginePayload.ParseOpen(body);
        Assert.Equal(OpenFields, open.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["websocket"], Upgrades(open));
        Assert.Equal(25000, open.GetProperty("pingInterval").GetInt64());
        Assert.Equal(20000, open.GetProperty("pingTimeout").GetInt64());
        Assert.Equal(1_000_000, open.GetProperty("maxPayload").GetInt64());
    }

    [Fact]
    public async Task A_polling_handshake_is_plain_text_in_utf8()
    {
        await using var host = await TestHost.StartAsync();
        using var http = new HttpClient();

        using var response = await http.GetAsync(host.Url("EIO=4&transport=polling")).WithTimeout();

        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet, ignoreCase: true);
    }

    [Fact]
    public async Task A_websocket_handshake_sends_the_open_packet_as_the_first_frame_with_no_upgrades()
    {
        await using var host = await TestHost.StartAsync();
        await using var ws = await WsClient.ConnectAsync(host.WebSocketUrl("EIO=4&transport=websocket"));

        var open = await ws.ReceiveOpenAsync();

        Assert.Equal(OpenFields, open.EnumerateObject().Select(p => p.Name));
        Assert.Empty(Upgrades(open));
        Assert.Equal(25000, open.GetProperty("pingInterval").GetInt64());
        Assert.Equal(20000, open.GetProperty("pingTimeout").GetInt64());
        Assert.Equal(1_000_000, open.GetProperty("maxPayload").GetInt64());
    }

    [Fact]
    public async Task The_open_packet_carries_the_configured_heartbeat_and_payload_limit()
    {
        await using var host = await TestHost.StartAsync(configure: o =>
        {
            o.PingInterval = TimeSpan.FromMilliseconds(1500);
            o.PingTimeout = TimeSpan.FromMilliseconds(700);
            o.MaxHttpBufferSize = 5000;
        });
        using var polling = new PollingClient(host);
        await using var ws = await WsClient.ConnectAsync(host.WebSocketUrl("EIO=4&transport=websocket"));

        foreach (var open in new[] { await polling.HandshakeAsync(), await ws.ReceiveOpenAsync() })
        {
            Assert.Equal(1500, open.GetProperty("pingInterval").GetInt64());
            Assert.Equal(700, open.GetProperty("pingTimeout").GetInt64());
            Assert.Equal(5000, open.GetProperty("maxPayload").GetInt64());
        }
    }

    [Fact]
    public async Task A_polling_handshake_offers_no_upgrade_when_upgrades_are_disabled()
    {
        await using var host = await TestHost.StartAsync(configure: o => o.AllowUpgrades = false);
        using var polling = new PollingClient(host);

        var open = await polling.HandshakeAsync();

        Assert.Empty(Upgrades(open));
    }

    [Fact]
    public async Task Every_handshake_gets_a_distinct_url_safe_sid_of_twenty_characters()
    {
        await using var host = await TestHost.StartAsync();
        var sids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            using var polling = new PollingClient(host);
            sids.Add((await polling.HandshakeAsync()).GetProperty("sid").GetString()!);
            await using var ws = await WsClient.ConnectAsync(host.WebSocketUrl("EIO=4&transport=websocket"));
            sids.Add((await ws.ReceiveOpenAsync()).GetProperty("sid").GetString()!);
        }

        Assert.All(sids, sid => Assert.Matches(UrlSafeSid(), sid));
        Assert.Equal(sids.Count, sids.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task A_handshake_opens_a_session_that_the_server_counts()
    {
        await using var host = await TestHost.StartAsync();
        using var polling = new PollingClient(host);
        await using var ws = await WsClient.ConnectAsync(host.WebSocketUrl("EIO=4&transport=websocket"));

        await polling.HandshakeAsync();
        await ws.ReceiveOpenAsync();

        Assert.Equal(2, host.IO.ConnectionCount);
    }
}
