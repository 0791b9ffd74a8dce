using System.Net;
using System.Net.Sockets;
using System.Text;
using OpenChat.Tests.Infrastructure;
using Xunit.Abstractions;

namespace OpenChat.Tests.Hosting;

/// <summary>
/// The built app flooded with 20 000 polling handshakes carrying 15 KB of headers each, from 500 loopback
/// addresses, while two witnesses chat: the pending-session bounds keep its memory bounded (without them
/// the sessions alone would hold 1.3 GB), the witnesses never notice, and once the flood is over the idle
/// trimmer gives the memory back.
/// </summary>
[Collection(FloodCollection.Name)]
public sealed class HandshakeFloodTests(ITestOutputHelper output)
{
    private const int Handshakes = 20_000;
    private const int Addresses = 500;
    private const int HeaderBytes = 15_000;
    private const long MiB = 1024 * 1024;

    // What the flood may add to the app's resident memory at its peak, and what may remain once trimmed.
    private const long PeakBound = 600 * MiB;
    private const long ReturnBound = 48 * MiB;

    // What the trimmer prints each time it gives memory back, and how long after the flood the memory may
    // take to come back: the sessions expire after 10 s, and the trimmer's retries double from the 2 s
    // interval below, so the trim that finds them gone comes within about 30 s.
    private const string Trimmed = "memory the GC holds trimmed";
    private static readonly TimeSpan ReturnWait = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_flood_of_large_handshakes_keeps_memory_bounded_and_witnesses_chatting_and_the_memory_comes_back()
    {
        var port = OpenChatProcess.FreePort();
        await using var app = OpenChatProcess.Start(new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",

            // The witnesses chat as fast as they can for the whole flood.
            ["Chat__MessagesPerSecond"] = "100000",
            ["Chat__MessageBurst"] = "100000",
            ["Chat__MessagesPerSecondPerIp"] = "0",

            // The trimmer as configured, but looking every second, so the test need not wait a minute.
            ["IdleMemoryTrim__CheckInterval"] = "00:00:01",
            ["IdleMemoryTrim__MinimumTrimInterval"] = "00:00:02",
        });
        await app.WaitForLineAsync("OpenChat is listening on");
        var server = new Uri($"http://127.0.0.1:{port}/");
        await using var witnesses = await Witnesses.ConnectAsync(server);
        await witnesses.ChatAsync("before");
        var before = app.ResidentBytes();
        var trimsBefore = app.CountLines(Trimmed);

        var statuses = new Dictionary<string, int>();
        var peak = before;
        var flood = Task.Run(async () =>
        {
            var request = Encoding.ASCII.GetBytes($"GET /socket.io/?EIO=4&transport=polling HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: {new string('p', HeaderBytes)}\r\nConnection: close\r\n\r\n");
            for (var sent = 0; sent < Handshakes; sent += 64)
            {
                var batch = await Task.WhenAll(Enumerable.Range(sent, 64).Select(i => HandshakeAsync(port, i % Addresses, request)));
                lock (statuses)
                {
                    foreach (var status in batch)
                    {
                        statuses[status] = statuses.GetValueOrDefault(status) + 1;
                    }
                }

                peak = Math.Max(peak, app.ResidentBytes());
            }
        });
        var rounds = 0;
        while (!flood.IsCompleted)
        {
            await witnesses.ChatAsync("during the flood");
            rounds++;
        }

        await flood.WithTimeout(TimeSpan.FromMinutes(2));
        await witnesses.ChatAsync("after the flood");
        output.WriteLine($"RSS before {before / MiB} MiB, peak {peak / MiB} MiB; {rounds} witness rounds during the flood; answers: {string.Join(", ", statuses.Select(s => $"{s.Key}: {s.Value}"))}");

        Assert.True(statuses.GetValueOrDefault("200") >= 1024, "the first handshakes are served");
        Assert.True(statuses.GetValueOrDefault("503") > 0, "beyond the pending bound handshakes are refused with 503");
        Assert.True(peak - before < PeakBound, $"RSS grew by {(peak - before) / MiB} MiB during the flood");
        Assert.True(rounds > 0);

        // Pending sessions expire after the connect timeout (10 s); the trimmer, retrying while it finds the
        // burst's leftovers live, then gives the memory back. Each trim it reports since the flood began is a
        // moment to look: the memory must be back within the bound after one of them, within the bound wait.
        await BackWithinBoundAsync().WithTimeout(ReturnWait);

        async Task BackWithinBoundAsync()
        {
            for (var trim = trimsBefore + 1; ; trim++)
            {
                var line = await app.WaitForLineAsync(Trimmed, trim, ReturnWait);
                var now = app.ResidentBytes();
                output.WriteLine($"trim {trim}: RSS {now / MiB} MiB; {line}");
                if (now - before <= ReturnBound)
                {
                    return;
                }
            }
        }
    }

    /// <summary>One handshake from 127.0.1.<paramref name="address"/> (or the next /24): the HTTP status, or what went wrong.</summary>
    private static async Task<string> HandshakeAsync(int port, int address, byte[] request)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(new IPAddress([127, 1, (byte)(address / 250), (byte)((address % 250) + 2)]), 0));
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port)).WithTimeout();
            await socket.SendAsync(request, SocketFlags.None).WithTimeout();
            var buffer = new byte[64];
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None).WithTimeout();
            var line = Encoding.ASCII.GetString(buffer, 0, read).Split(' ');
            return line.Length > 1 ? line[1] : "closed";
        }
        catch (SocketException ex)
        {
            return ex.SocketErrorCode.ToString();
        }
    }
}
