using System.Text.Json;
using OpenChat.SocketIO.Tests.Infrastructure;
using Xunit.Abstractions;

namespace OpenChat.SocketIO.Tests.Hardening;

/// <summary>
/// Clients that stop consuming must cost the server a bounded queue each and then be dropped, while the
/// clients that keep reading get every message of the same broadcast stream, in order.
/// </summary>
public sealed class SlowConsumerTests(ITestOutputHelper output)
{
    private const int QueueBound = 64 * 1024;
    private const int ActiveClients = 20;
    private const int Round = 16;
    private const int MaxMessages = 20_000;
    private static readonly string Padding = new('p', 1000);

    [Fact]
    public async Task Stalled_clients_of_both_transports_are_dropped_when_their_queue_fills_and_active_ones_get_the_whole_stream_in_order()
    {
        var sockets = new ConnectedSockets();
        var reasons = new DisconnectReasonLog();
        await using var host = await TestHost.StartAsync(
            o => o.MaxQueuedOutgoingBytes = QueueBound,
            io => io.On("connection", s =>
            {
                reasons.Track(s);
                sockets.Track(s);
            }));

        var active = new List<RawSocketIOClient>();
        using var stalledPolling = new PollingClient(host);
        StalledWebSocket? stalledWs = null;
        try
        {
            for (var i = 0; i < ActiveClients; i++)
            {
                var client = await RawSocketIOClient.OpenAsync(host, webSocket: i % 2 == 0);
                active.Add(client);
                await client.JoinAsync();
            }

            // A polling client that joins, then never polls again: the CONNECT reply is its last read.
            await stalledPolling.HandshakeAsync();
            await stalledPolling.SendAsync("40");
            var stalledPollingId = SocketIdFrom(Assert.Single(await stalledPolling.PollPacketsAsync()));

            // A WebSocket client that joins, then never reads at all.
            stalledWs = await StalledWebSocket.ConnectAsync(host.BaseUri, "/socket.io/?EIO=4&transport=websocket");
            await stalledWs.SendTextAsync("40");
            await sockets.WaitForCountAsync(ActiveClients + 2).WithTimeout();
            var stalledWsId = host.IO.MainNamespace.Sockets.Select(s => s.Id)
                .Except(active.Select(c => c.SocketId)).Except([stalledPollingId]).Single();

            var progress = new StreamProgress(ActiveClients);
            var collectors = active.Select((c, i) => CollectAsync(c, n => progress.Report(i, n))).ToList();

            // Rounds small enough for a reading client's queue; each waits until every active client has it.
            var sent = 0L;
            while (!(reasons.For(stalledPollingId).IsCompleted && reasons.For(stalledWsId).IsCompleted))
            {
                Assert.True(sent < MaxMessages, $"after {sent} messages of {Padding.Length} bytes the stalled clients are still connected");
                for (var i = 0; i < Round; i++)
                {
                    host.IO.Emit("tick", sent++, Padding);
                }

                await progress.WaitForAllAsync(sent - 1).WithTimeout();
            }

            host.IO.Emit("end", sent);
            output.WriteLine($"the stalled clients were dropped after {sent} broadcast messages");

            Assert.Equal("transport error", await reasons.For(stalledPollingId).WithTimeout());
            Assert.Equal("transport error", await reasons.For(stalledWsId).WithTimeout());
            foreach (var collector in collectors)
            {
                var ticks = await collector.WithTimeout();
                Assert.Equal(sent, ticks.Count);
                Assert.True(ticks.Select((t, i) => t == i).All(inOrder => inOrder), "messages arrived out of order");
            }

            Assert.All(active, c => Assert.False(c.Closed.IsCompleted, $"active client {c.EngineSid} was dropped"));
            Assert.Equal(ActiveClients, host.IO.ConnectionCount);
        }
        finally
        {
            stalledWs?.Dispose();
            foreach (var client in active)
            {
                await client.DisposeAsync();
            }
        }
    }

    private static string SocketIdFrom(string connectReply)
    {
        Assert.StartsWith("40{", connectReply);
        using var json = JsonDocument.Parse(connectReply[2..]);
        return json.RootElement.GetProperty("sid").GetString()!;
    }

    /// <summary>Receives "tick" numbers until "end", reporting each as it comes.</summary>
    private static Task<List<long>> CollectAsync(RawSocketIOClient client, Action<long> report) => Task.Run(async () =>
    {
        var ticks = new List<long>();
        while (true)
        {
            var packet = await client.NextAsync(p => p.StartsWith("42[\"tick\",", StringComparison.Ordinal) || p.StartsWith("42[\"end\",", StringComparison.Ordinal))
                ?? throw new InvalidOperationException($"active client {client.EngineSid} lost its session: {await client.DescribeCloseAsync()}");
            using var json = JsonDocument.Parse(packet[2..]);
            if (json.RootElement[0].GetString() == "end")
            {
                return ticks;
            }

            var n = json.RootElement[1].GetInt64();
            ticks.Add(n);
            report(n);
        }
    });
}
