using System.Net;
using System.Text.Json;
using OpenChat.SocketIO.Tests.Infrastructure;

namespace OpenChat.SocketIO.Tests.Hardening;

/// <summary>HandshakesPerMinutePerIp: handshakes within the limit open sessions, the excess is refused with 429.</summary>
public sealed class HandshakeRateLimitTests
{
    private const int Limit = 3;

    // The polling sessions here never poll again; a short close timeout keeps them from holding up the host's stop.
    private static readonly TimeSpan QuickClose = TimeSpan.FromMilliseconds(100);

    private static Task<TestHost> StartLimitedAsync() => TestHost.StartAsync(o =>
    {
        o.HandshakesPerMinutePerIp = Limit;
        o.CloseTimeout = QuickClose;
    });

    [Fact]
    public async Task Handshakes_within_the_limit_open_sessions_over_either_transport_and_the_next_ones_get_429()
    {
        await using var host = await StartLimitedAsync();
        using var http = new HttpClient();

        using var first = new PollingClient(host);
        await first.HandshakeAsync();
        await using var second = await WsClient.ConnectAsync(host.WebSocketUrl("EIO=4&transport=websocket"));
        await second.ReceiveOpenAsync();
        using var third = new PollingClient(host);
        await third.HandshakeAsync();

        using var refusedPolling = await http.GetAsync(host.Url("EIO=4&transport=polling")).WithTimeout();
        var (refusedWebSocket, refusedClient) = await WsClient.TryConnectAsync(host.WebSocketUrl("EIO=4&transport=websocket"));

        Assert.Equal(HttpStatusCode.TooManyRequests, refusedPolling.StatusCode);
        Assert.Null(refusedClient);
        Assert.Equal(HttpStatusCode.TooManyRequests, refusedWebSocket);
        Assert.Equal(Limit, host.IO.ConnectionCount);
    }

    [Fact]
    public async Task The_limit_counts_handshakes_only_so_open_sessions_keep_working_after_it_is_reached()
    {
        await using var host = await StartLimitedAsync();
        var clients = new List<RawSocketIOClient>();
        try
        {
            for (var i = 0; i < Limit; i++)
            {
                clients.Add(await RawSocketIOClient.OpenAsync(host, webSocket: i % 2 == 0));
            }

            // Each join is a POST and a GET (or WebSocket frames) on an existing session: none is a handshake.
            foreach (var client in clients)
            {
                await client.JoinAsync();
            }

            host.IO.Emit("news", "after the limit");
            foreach (var client in clients)
            {
                Assert.Equal("42[\"news\",\"after the limit\"]", await client.NextAsync(p => p.StartsWith("42[\"news\"", StringComparison.Ordinal)));
            }

            Assert.Equal(Limit, host.IO.MainNamespace.SocketCount);
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    /// <summary>Like every other refusal of the endpoint, the 429 carries the reference <c>{"code":N,"message":"..."}</c> body a client can show.</summary>
    [Fact]
    public async Task A_refused_handshake_carries_a_json_error_body()
    {
        await using var host = await StartLimitedAsync();
        using var http = new HttpClient();
        for (var i = 0; i < Limit; i++)
        {
            using var admitted = await http.GetAsync(host.Url("EIO=4&transport=polling")).WithTimeout();
            Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
        }

        using var refused = await http.GetAsync(host.Url("EIO=4&transport=polling")).WithTimeout();
        var body = await refused.Content.ReadAsStringAsync().WithTimeout();

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/json", refused.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(body.Length == 0 ? "null" : body);
        Assert.Equal(JsonValueKind.Object, json.RootElement.ValueKind);
        Assert.Equal(JsonValueKind.Number, json.RootElement.GetProperty("code").ValueKind);
        Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task The_limit_is_on_by_default_and_off_when_set_to_null()
    {
        Assert.Equal(600, new SocketIOOptions().HandshakesPerMinutePerIp);
        await using var host = await TestHost.StartAsync(o =>
        {
            o.HandshakesPerMinutePerIp = null;
            o.CloseTimeout = QuickClose;
        });
        using var http = new HttpClient();

        for (var i = 0; i < 40; i++)
        {
            using var response = await http.GetAsync(host.Url("EIO=4&transport=polling")).WithTimeout();
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(40, host.IO.ConnectionCount);
    }

    [Fact]
    public async Task A_flood_of_refused_handshakes_logs_one_warning_with_the_count()
    {
        var logs = new LogCapture();
        await using var host = await HardeningHost.StartAsync(logs, o =>
        {
            o.HandshakesPerMinutePerIp = 1;
            o.CloseTimeout = QuickClose;
        });
        using var http = new HttpClient();

        for (var i = 0; i < 30; i++)
        {
            using var response = await http.GetAsync(host.Url("EIO=4&transport=polling")).WithTimeout();
        }

        var warning = Assert.Single(logs.Entries, e => e.EventId.Name == "HandshakeRateLimited");
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, warning.Level);
        Assert.Contains("1 refused", warning.Message);
    }
}
