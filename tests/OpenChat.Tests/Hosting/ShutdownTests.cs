using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using OpenChat.Bench.Client;
using OpenChat.Bench.Scenarios;
using OpenChat.Chat;
using OpenChat.Tests.Infrastructure;

namespace OpenChat.Tests.Hosting;

/// <summary>
/// SIGTERM while one client streams acknowledged messages to 150 others (raw WebSocket clients, an official
/// client on WebSocket and one on polling): every message the server acknowledged reaches every one of them
/// before its connection closes, and later messages are refused with a reason, never acknowledged and lost.
/// </summary>
[Collection(FloodCollection.Name)]
public sealed partial class ShutdownTests
{
    private const int Listeners = 150;
    private const int Messages = 400;

    [Fact]
    public async Task Every_message_acknowledged_before_a_sigterm_reaches_every_connected_client_and_later_ones_are_refused_with_a_reason()
    {
        var port = OpenChatProcess.FreePort();
        await using var app = OpenChatProcess.Start(new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["Chat__MessageBurst"] = "100000",
            ["Chat__MessagesPerSecond"] = "100000",
            ["Chat__MessageBurstPerIp"] = "100000",
            ["Chat__MessagesPerSecondPerIp"] = "100000",
        });
        await app.WaitForLineAsync("OpenChat is listening on");
        var server = new Uri($"http://127.0.0.1:{port}/");

        var received = new MessageLog();
        using var addresses = new SourceAddressPool(server, 1);
        var fleet = await ClientFleet.ConnectAsync(server, addresses, received, 0, Listeners, joinNamespace: true, addUsername: false, concurrency: 32, CancellationToken.None).WithTimeout(TimeSpan.FromSeconds(60));
        Assert.Equal(Listeners, fleet.Clients.Count);
        await using var node = NodeChatClients.Start(server);
        await node.ConnectAsync("sender", null, ["websocket"]);
        await node.ConnectAsync("ws", null, ["websocket"]);
        await node.ConnectAsync("polling", null, ["polling"]);
        try
        {
            // Stream messages with acks and stop the app partway; keep sending until the sender is gone.
            for (var i = 0; i < Messages && !Disconnected(node, "sender"); i++)
            {
                await node.Process.SendAsync(new { cmd = "emit", client = "sender", name = ChatEvents.SendMessage, args = new[] { $"m{i}" }, ack = true });
                if (i == Messages / 4)
                {
                    using var kill = Process.Start("kill", ["-TERM", app.Id.ToString(CultureInfo.InvariantCulture)])!;
                    await kill.WaitForExitAsync().WithTimeout();
                }

                await Task.Delay(2);
            }

            await node.Process.WaitUntilAsync(_ => Disconnected(node, "sender") && Disconnected(node, "ws") && Disconnected(node, "polling"), "every official client to be disconnected");
            await app.WaitForExitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            await ClientFleet.CloseAllAsync(fleet.Clients);
        }

        var acks = Acks(node);
        var acknowledged = acks.Where(a => a.Ok).Select(a => a.Text).ToList();
        Assert.NotEmpty(acknowledged);
        // Refused by the chat once stopping began, or by the store that was taking it: either way with a reason.
        Assert.All(acks.Where(a => !a.Ok), a => Assert.False(string.IsNullOrWhiteSpace(a.Reason), $"{a.Text} was refused without a reason"));
        var official = new Dictionary<string, HashSet<string>>
        {
            ["ws"] = Texts(node, "ws"),
            ["polling"] = Texts(node, "polling"),
        };
        foreach (var text in acknowledged)
        {
            Assert.True(received.Missing(text, fleet.Clients.Select(c => c.Index)) is not { Count: > 0 } missing, $"\"{text}\" was acknowledged but never reached listeners {string.Join(", ", received.Missing(text, fleet.Clients.Select(c => c.Index)).Take(10))}");
            foreach (var (client, texts) in official)
            {
                Assert.True(texts.Contains(text), $"\"{text}\" was acknowledged but never reached the {client} client");
            }
        }
    }

    private static bool Disconnected(NodeChatClients node, string client) =>
        node.Process.Lines.Any(l => NodeChatProcess.Is(l, "disconnect") && l.TryGetProperty("client", out var c) && c.GetString() == client);

    private static List<(string Text, bool Ok, string? Reason)> Acks(NodeChatClients node) =>
        node.Process.Lines
            .Where(l => NodeChatProcess.Is(l, "ack") && l.GetProperty("client").GetString() == "sender")
            .Select((l, i) =>
            {
                var answer = l.GetProperty("args")[0];
                var ok = answer.ValueKind == JsonValueKind.Object && answer.TryGetProperty("ok", out var o) && o.ValueKind == JsonValueKind.True;
                var reason = answer.ValueKind == JsonValueKind.Object && answer.TryGetProperty("reason", out var r) ? r.GetString() : null;
                return (Text: string.Empty, Ok: ok, Reason: reason);
            })
            .Select((a, i) => a with { Text = $"m{i}" })
            .ToList();

    private static HashSet<string> Texts(NodeChatClients node, string client) =>
        node.Received(client, ChatEvents.Message).Select(m => m.GetString() ?? string.Empty).Select(t => t.StartsWith("Guest: ", StringComparison.Ordinal) ? t[7..] : t).ToHashSet(StringComparer.Ordinal);

    /// <summary>The chat texts each raw listener received, by client index.</summary>
    private sealed partial class MessageLog : ChatFrameHandler
    {
        private readonly ConcurrentDictionary<int, ConcurrentDictionary<string, bool>> _texts = new();

        public override void OnChatMessage(IChatClient client, ReadOnlySpan<byte> frame)
        {
            var match = TextPattern().Match(Encoding.UTF8.GetString(frame));
            if (match.Success)
            {
                _texts.GetOrAdd(client.Index, static _ => new())[match.Groups[1].Value] = true;
            }
        }

        public List<int> Missing(string text, IEnumerable<int> clients) =>
            clients.Where(c => !(_texts.TryGetValue(c, out var texts) && texts.ContainsKey(text))).ToList();

        [GeneratedRegex(@"""Guest: (m\d+)""")]
        private static partial Regex TextPattern();
    }
}
