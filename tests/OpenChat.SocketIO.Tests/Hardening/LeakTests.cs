// The cycle count is overridable for a longer soak, e.g.:
//   OPENCHAT_LEAK_CYCLES=50000 dotnet test tests/OpenChat.SocketIO.Tests --filter "FullyQualifiedName~LeakTests"
using System.Globalization;
using System.Net;
using System.Text;
using OpenChat.SocketIO.Tests.Infrastructure;
using Xunit.Abstractions;

namespace OpenChat.SocketIO.Tests.Hardening;

/// <summary>Many short connections, cleanly closed or dropped, over both transports leave nothing behind.</summary>
[Collection(nameof(LeakTestsCollection))]
public sealed class LeakTests(ITestOutputHelper output)
{
    private const int DefaultCycles = 2000;
    private const int Parallelism = 8;
    private const int Rooms = 50;
    private const long MemoryBound = 20 * 1024 * 1024;

    [Fact]
    public async Task Connect_disconnect_cycles_leave_no_session_socket_room_or_memory_behind()
    {
        var cycles = int.TryParse(Environment.GetEnvironmentVariable("OPENCHAT_LEAK_CYCLES"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : DefaultCycles;
        // Thousands of handshakes from one address: the per-address handshake rate would refuse most of them.
        await using var host = await TestHost.StartAsync(o => o.HandshakesPerMinutePerIp = null, io => io.On("connection", socket =>
            socket.On("join", ctx =>
            {
                socket.Join(ctx.Arguments.Get<string>(0)!);
                ctx.Ack("joined");
            })));
        using var http = new HttpClient { Timeout = TaskTimeouts.Default };

        // Warm up pools, JIT and Kestrel first, so the baseline is the server at rest rather than cold.
        await RunCyclesAsync(host, http, 200);
        await WaitUntilEmptyAsync(host);
        var baseline = SettledMemory();

        await RunCyclesAsync(host, http, cycles);
        await WaitUntilEmptyAsync(host);
        var after = SettledMemory();

        output.WriteLine($"{cycles} cycles: managed memory {baseline / 1024} KiB before, {after / 1024} KiB after");
        Assert.Equal(0, host.IO.ConnectionCount);
        Assert.Equal(0, host.IO.MainNamespace.SocketCount);
        Assert.Equal(0, host.IO.MainNamespace.Adapter.RoomCount);
        Assert.True(after - baseline < MemoryBound, $"managed memory grew by {(after - baseline) / 1024} KiB over {cycles} cycles");
    }

    private static long SettledMemory()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static async Task RunCyclesAsync(TestHost host, HttpClient http, int cycles)
    {
        var next = -1;
        var workers = Enumerable.Range(0, Parallelism).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < cycles)
            {
                var room = $"room-{i % Rooms}";
                if (i % 2 == 0)
                {
                    await WebSocketCycleAsync(host, room, abrupt: i % 8 == 0);
                }
                else
                {
                    await PollingCycleAsync(host, http, room);
                }
            }
        }));
        await Task.WhenAll(workers).WithTimeout(TimeSpan.FromSeconds(Math.Max(60, cycles / 20)));
    }

    /// <summary>Handshake, join a namespace and a room, then leave with a close frame or by dropping the connection.</summary>
    private static async Task WebSocketCycleAsync(TestHost host, string room, bool abrupt)
    {
        var ws = await WsClient.ConnectAsync(host.WebSocketUrl("EIO=4&transport=websocket"));
        try
        {
            await ws.ReceiveOpenAsync();
            await ws.SendTextAsync("40");
            Assert.StartsWith("40{", await ReceiveSkippingPingsAsync(ws));
            await ws.SendTextAsync($"421[\"join\",\"{room}\"]");
            Assert.Equal("431[\"joined\"]", await ReceiveSkippingPingsAsync(ws));
        }
        finally
        {
            if (abrupt)
            {
                ws.Socket.Abort();
                ws.Socket.Dispose();
            }
            else
            {
                await ws.DisposeAsync();
            }
        }
    }

    private static async Task<string> ReceiveSkippingPingsAsync(WsClient ws)
    {
        while (true)
        {
            var text = await ws.ReceiveTextAsync();
            if (text != "2")
            {
                return text;
            }
        }
    }

    /// <summary>Handshake, join a namespace and a room, then send the close packet.</summary>
    private static async Task PollingCycleAsync(TestHost host, HttpClient http, string room)
    {
        var open = EnginePayload.ParseOpen(await http.GetStringAsync(host.Url("EIO=4&transport=polling")).WithTimeout());
        var url = host.Url($"EIO=4&transport=polling&sid={open.GetProperty("sid").GetString()}");
        await PostAsync(http, url, "40");
        Assert.StartsWith("40{", await http.GetStringAsync(url).WithTimeout());
        await PostAsync(http, url, $"421[\"join\",\"{room}\"]");
        Assert.Equal("431[\"joined\"]", await http.GetStringAsync(url).WithTimeout());
        await PostAsync(http, url, "1");
    }

    private static async Task PostAsync(HttpClient http, Uri url, string payload)
    {
        using var response = await http.PostAsync(url, new StringContent(payload, Encoding.UTF8, "text/plain")).WithTimeout();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>Sessions end asynchronously after their client left; the counters have no event, so check within a bound.</summary>
    private static async Task WaitUntilEmptyAsync(TestHost host)
    {
        var deadline = DateTime.UtcNow + TaskTimeouts.Default;
        while (host.IO.ConnectionCount + host.IO.MainNamespace.SocketCount + host.IO.MainNamespace.Adapter.RoomCount > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
    }
}
