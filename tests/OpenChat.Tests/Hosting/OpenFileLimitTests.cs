using System.Globalization;
using System.Text.RegularExpressions;
using OpenChat.Tests.Infrastructure;

namespace OpenChat.Tests.Hosting;

/// <summary>
/// The built app under a low open-file limit (<c>prlimit --nofile=1500</c>), flooded with raw TCP connections
/// and with WebSocket sessions while two witnesses chat: it sheds what is beyond its ceiling, keeps serving
/// the witnesses, and serves newcomers again as soon as the flood lets go.
/// </summary>
[Collection(FloodCollection.Name)]
public sealed partial class OpenFileLimitTests
{
    private const int FileLimit = 1500;

    [Fact]
    public async Task At_its_open_file_limit_the_app_sheds_new_connections_with_one_warning_keeps_its_witnesses_chatting_and_recovers()
    {
        var port = OpenChatProcess.FreePort();
        await using var app = OpenChatProcess.Start(Environment(port, ("ConnectionCeiling__WarningInterval", "01:00:00")), FileLimit);
        var ceiling = Ceiling(await app.WaitForLineAsync("Accepting at most"));
        Assert.Equal(FileLimit - 256 - (FileLimit / 20), ceiling);
        await app.WaitForLineAsync("OpenChat is listening on");
        var server = new Uri($"http://127.0.0.1:{port}/");
        await using var witnesses = await Witnesses.ConnectAsync(server);
        await witnesses.ChatAsync("before");

        using (var flood = await TcpFlood.OpenAsync(port, ceiling + 200))
        {
            await app.WaitForLineAsync("Connection ceiling of");
            await witnesses.ChatAsync("during the TCP flood");
            Assert.True(await TcpFlood.IsRefusedAsync(port), "a newcomer beyond the ceiling is closed at once");
        }

        await WaitUntilServedAsync(server);
        await using (var sessions = await WebSocketFlood.OpenAsync(server, ceiling + 50))
        {
            // The witnesses and a keep-alive connection or two hold the rest of the ceiling.
            Assert.InRange(sessions.Opened, ceiling - 10, ceiling - 2);
            Assert.InRange(sessions.Failed, 50, 62);
            await witnesses.ChatAsync("during the WebSocket flood");
        }

        await WaitUntilServedAsync(server);
        await witnesses.ChatAsync("after");
        Assert.False(app.HasExited);

        // Hundreds of refusals, one warning per time at the ceiling (the interval is an hour here).
        Assert.Equal(2, app.Stdout.Count(l => l.Contains("Connection ceiling of", StringComparison.Ordinal)));
        Assert.Equal(2, app.Stdout.Count(l => l.Contains("Back under the connection ceiling", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task When_descriptors_run_out_under_a_ceiling_set_too_high_the_app_pauses_accepting_lowers_the_ceiling_and_lives()
    {
        var port = OpenChatProcess.FreePort();
        await using var app = OpenChatProcess.Start(Environment(port, ("ConnectionCeiling__MaxConnections", "100000")), FileLimit);
        await app.WaitForLineAsync("OpenChat is listening on");
        var server = new Uri($"http://127.0.0.1:{port}/");
        await using var witnesses = await Witnesses.ConnectAsync(server);
        await witnesses.ChatAsync("before");
        var before = app.ResidentBytes();

        using (var flood = await TcpFlood.OpenAsync(port, FileLimit))
        {
            await app.WaitForLineAsync("Cannot accept connections: TooManyOpenSockets");
            await app.WaitForLineAsync("The connection ceiling is lowered to");
            for (var i = 0; i < 5; i++)
            {
                await witnesses.ChatAsync("out of descriptors");
            }

            Assert.True(await TcpFlood.IsRefusedAsync(port), "a newcomer beyond the lowered ceiling is closed at once");

            // Kestrel's own accept loop grew by about 20 MB/s here and died within seconds.
            Assert.InRange(app.ResidentBytes() - before, long.MinValue, 64L * 1024 * 1024);
        }

        await WaitUntilServedAsync(server);
        await app.WaitForLineAsync("reserved descriptors are held again");
        await witnesses.ChatAsync("after");
        Assert.False(app.HasExited);
    }

    private static Dictionary<string, string> Environment(int port, params (string Name, string Value)[] more)
    {
        var environment = new Dictionary<string, string>
        {
            ["PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",

            // The WebSocket flood comes from one address: the handshake limits would refuse it first.
            ["SocketIO__HandshakesPerMinutePerIp"] = "1000000",
            ["SocketIO__MaxPendingSessions"] = "1000000",
            ["SocketIO__MaxPendingSessionsPerIp"] = "1000000",
        };
        foreach (var (name, value) in more)
        {
            environment[name] = value;
        }

        return environment;
    }

    private static int Ceiling(string line) => int.Parse(CeilingPattern().Match(line).Groups[1].Value, CultureInfo.InvariantCulture);

    /// <summary>Waits until a polling handshake is answered again (the server notices the flood's closes within moments).</summary>
    private static async Task WaitUntilServedAsync(Uri server)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        using var limit = new CancellationTokenSource(TaskTimeouts.Default);
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(server, "/socket.io/?EIO=4&transport=polling"), limit.Token);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!limit.IsCancellationRequested)
            {
            }

            await Task.Delay(50, limit.Token);
        }
    }

    [GeneratedRegex(@"Accepting at most (\d+) connections")]
    private static partial Regex CeilingPattern();
}
