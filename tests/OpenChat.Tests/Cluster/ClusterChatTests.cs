using Microsoft.Extensions.Logging;
using System.Text.Json;
using OpenChat.Chat;
using OpenChat.SocketIO.Adapters;
using OpenChat.Tests.Infrastructure;

namespace OpenChat.Tests.Cluster;

/// <summary>
/// Two OpenChat instances with <c>Redis:Configuration</c> on one real Redis are one chat for the official
/// client on either: the lists carry everyone, each message reaches each client once, each join or leave line
/// appears once; an instance that dies leaves the others' lists after its heartbeat timeout; Redis restarting
/// during a chat pauses only what crosses instances.
/// </summary>
public sealed class ClusterChatTests(RedisServer redis) : IClassFixture<RedisServer>, IDisposable
{
    // Instances of one chat share one store (message ids come from it), as two instances on one host do.
    private readonly TempFolder _data = new();
    private static readonly object Ana = new { protocol = 2, name = "Ana" };
    private static readonly object Cy = new { protocol = 2, name = "Cy" };

    [Fact]
    public async Task Two_instances_on_one_redis_are_one_chat_for_clients_on_either()
    {
        await using var a = await StartAsync();
        await using var b = await StartAsync();
        await using var clients = NodeChatClients.Start(a.BaseUri);
        await clients.ConnectAsync("ana", Ana, ["websocket"], a.BaseUri);
        await clients.ConnectAsync("bob", transports: ["websocket"], server: b.BaseUri);
        await clients.WaitForLatestAsync("bob", ChatEvents.Usernames, l => Names(l).SequenceEqual(["Ana", "Guest"]), "Ana of the other instance, then itself");
        await clients.ConnectAsync("cy", Cy, ["websocket"], b.BaseUri);

        // Every list carries the users of both instances, in the same join order.
        await WaitForListAsync(clients, "ana", ["Ana", "Guest", "Cy"]);
        await WaitForListAsync(clients, "cy", ["Ana", "Guest", "Cy"]);
        await clients.WaitForLatestAsync("bob", ChatEvents.Usernames, l => Names(l).SequenceEqual(["Ana", "Guest", "Cy"]), "all three names");

        // A message reaches every client of every instance once.
        await clients.EmitWithAckAsync("ana", ChatEvents.SendMessage, "hello from A");
        await clients.WaitForReceivedAsync("bob", ChatEvents.Message, m => m.GetString() == "Ana: hello from A", "A's message");
        await clients.EmitWithAckAsync("bob", ChatEvents.SendMessage, "hello from B");
        await clients.WaitForReceivedAsync("bob", ChatEvents.Message, m => m.GetString() == "Guest: hello from B", "its own message");
        await clients.WaitForReceivedAsync("ana", ChatEvents.Chat, m => m.GetProperty("text").GetString() == "hello from B", "B's message");
        await clients.WaitForReceivedAsync("cy", ChatEvents.Chat, m => m.GetProperty("text").GetString() == "hello from B", "B's message");
        Assert.Equal(["Ana: hello from A", "Guest: hello from B"], clients.Received("bob", ChatEvents.Message).Select(m => m.GetString()));
        foreach (var rich in new[] { "ana", "cy" })
        {
            Assert.Equal(["hello from A", "hello from B"], clients.Received(rich, ChatEvents.Chat).Select(m => m.GetProperty("text").GetString()));
        }

        // A join and a leave on one instance are one line for every rich client of both.
        await clients.ConnectAsync("dee", new { protocol = 2, name = "Dee" }, ["websocket"], a.BaseUri);
        await WaitForListAsync(clients, "cy", ["Ana", "Guest", "Cy", "Dee"]);
        await clients.DisconnectAsync("dee");
        await WaitForListAsync(clients, "cy", ["Ana", "Guest", "Cy"]);
        await WaitForListAsync(clients, "ana", ["Ana", "Guest", "Cy"]);
        await clients.EmitWithAckAsync("cy", ChatEvents.SendMessage, "after");
        await clients.WaitForReceivedAsync("ana", ChatEvents.Chat, m => m.GetProperty("text").GetString() == "after", "the last message");
        foreach (var rich in new[] { "ana", "cy" })
        {
            Assert.Single(Lines(clients, rich), "Dee joined");
            Assert.Single(Lines(clients, rich), "Dee left");
        }
    }

    [Fact]
    public async Task An_instance_that_dies_leaves_the_other_instances_lists_after_its_heartbeat_timeout()
    {
        await using var a = await StartAsync();
        var port = OpenChatProcess.FreePort();
        var b = OpenChatProcess.Start(new Dictionary<string, string>
        {
            ["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Redis__Configuration"] = redis.Configuration,
            ["Redis__HeartbeatInterval"] = "00:00:00.200",
            ["Redis__HeartbeatTimeout"] = "00:00:01",
            ["Storage__DataFolder"] = _data.Path,
        });
        await using var clients = NodeChatClients.Start(a.BaseUri);
        try
        {
            await b.WaitForLineAsync("OpenChat is listening");
            await b.WaitForLineAsync("is connected");
            await clients.ConnectAsync("ana", Ana, ["websocket"], a.BaseUri);
            await clients.ConnectAsync("eve", new { protocol = 2, name = "Eve" }, ["websocket"], new Uri($"http://127.0.0.1:{port}/"));
            await WaitForListAsync(clients, "ana", ["Ana", "Eve"]);
        }
        finally
        {
            // Killed, not stopped: no goodbye, no disconnects; only its silence tells.
            await b.DisposeAsync();
        }

        await WaitForListAsync(clients, "ana", ["Ana"]);

        // The line follows the list update of the same window.
        await clients.WaitForReceivedAsync("ana", ChatEvents.System, l => l.GetProperty("text").GetString() == "Eve left", "the leave line");
        Assert.Single(Lines(clients, "ana"), "Eve left");
    }

    [Fact]
    public async Task A_redis_restart_during_a_chat_keeps_each_instance_talking_and_then_joins_them_again()
    {
        await using var a = await StartAsync();
        await using var b = await StartAsync();
        await using var clients = NodeChatClients.Start(a.BaseUri);
        await clients.ConnectAsync("ana", Ana, ["websocket"], a.BaseUri);
        await clients.ConnectAsync("al", new { protocol = 2, name = "Al" }, ["websocket"], a.BaseUri);
        await clients.ConnectAsync("cy", Cy, ["websocket"], b.BaseUri);
        await WaitForListAsync(clients, "ana", ["Ana", "Al", "Cy"]);

        await redis.StopAsync();

        // Without Redis each instance is a chat of its own: B's users leave A's list, A's users still talk.
        await WaitForListAsync(clients, "ana", ["Ana", "Al"]);
        await clients.EmitWithAckAsync("ana", ChatEvents.SendMessage, "while Redis is down");
        await clients.WaitForReceivedAsync("al", ChatEvents.Chat, m => m.GetProperty("text").GetString() == "while Redis is down", "the local message");

        // Users who come back are appended to a rich client's list, so only the members are compared.
        await redis.StartAsync();
        await WaitForListAsync(clients, "ana", ["Ana", "Al", "Cy"], TimeSpan.FromSeconds(40), anyOrder: true);
        await WaitForListAsync(clients, "cy", ["Ana", "Al", "Cy"], TimeSpan.FromSeconds(40), anyOrder: true);
        await clients.EmitWithAckAsync("cy", ChatEvents.SendMessage, "Redis is back");
        await clients.WaitForReceivedAsync("ana", ChatEvents.Chat, m => m.GetProperty("text").GetString() == "Redis is back", "the message across instances");
        Assert.DoesNotContain(clients.Received("cy", ChatEvents.Chat), m => m.GetProperty("text").GetString() == "while Redis is down");
    }

    [Fact]
    public async Task Redis_without_storage_is_warned_about_at_start_since_instances_would_number_messages_alike()
    {
        var logs = new LogRecorder();
        await using var host = await ChatHost.StartAsync(b => b.Logging.AddProvider(logs), $"--Redis:Configuration={redis.Configuration}", "--Storage:Enabled=false");
        var warning = Assert.Single(logs.Entries, e => e.Name == "ClusterWithoutSharedStore");
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("ConnectionStrings:Chat", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_redis_configuration_the_app_runs_alone_on_the_in_memory_adapter()
    {
        await using var alone = await ChatHost.StartAsync();
        Assert.IsType<InMemoryAdapter>(alone.Get<OpenChat.SocketIO.SocketIOServer>().MainNamespace.Adapter);
        Assert.False(alone.Get<OpenChat.Cluster.ClusterPresence>().IsClustered);
    }

    public void Dispose() => _data.Dispose();

    private Task<ChatHost> StartAsync() => ChatHost.StartInAsync(
        _data.Path,
        $"--Redis:Configuration={redis.Configuration}",
        "--Redis:HeartbeatInterval=00:00:00.200",
        "--Redis:HeartbeatTimeout=00:00:01",
        "--Chat:PresenceWindow=00:00:00.050");

    private static IEnumerable<string> Names(JsonElement list) => list.EnumerateArray().Select(n => n.GetString()!);

    private static List<string> Lines(NodeChatClients clients, string client) =>
        [.. clients.Received(client, ChatEvents.System).Select(s => s.GetProperty("text").GetString()!)];

    /// <summary>The online list a rich client holds: its snapshot with every delta applied (joined, renamed, left, by id), as the page does.</summary>
    private static List<string> RichList(NodeChatClients clients, string client)
    {
        var users = new List<(string Id, string Name)>();
        foreach (var (name, argument) in clients.AllReceived(client))
        {
            switch (name)
            {
                case ChatEvents.PresenceSnapshot:
                    users = [.. argument.GetProperty("users").EnumerateArray().Select(u => (u.GetProperty("id").GetString()!, u.GetProperty("name").GetString()!))];
                    break;
                case ChatEvents.PresenceDelta:
                    foreach (var joined in argument.GetProperty("joined").EnumerateArray())
                    {
                        // A newcomer's own join comes after its snapshot, which already has it.
                        var id = joined.GetProperty("id").GetString()!;
                        if (!users.Any(u => u.Id == id))
                        {
                            users.Add((id, joined.GetProperty("name").GetString()!));
                        }
                    }

                    foreach (var renamed in argument.GetProperty("renamed").EnumerateArray())
                    {
                        var id = renamed.GetProperty("id").GetString();
                        users = [.. users.Select(u => u.Id == id ? (u.Id, renamed.GetProperty("name").GetString()!) : u)];
                    }

                    var left = argument.GetProperty("left").EnumerateArray().Select(l => l.GetString()).ToHashSet();
                    users.RemoveAll(u => left.Contains(u.Id));
                    break;
            }
        }

        return [.. users.Select(u => u.Name)];
    }

    private static Task WaitForListAsync(NodeChatClients clients, string client, string[] expected, TimeSpan? timeout = null, bool anyOrder = false) =>
        clients.Process.WaitUntilAsync(
            _ => anyOrder ? RichList(clients, client).Order(StringComparer.Ordinal).SequenceEqual(expected.Order(StringComparer.Ordinal)) : RichList(clients, client).SequenceEqual(expected),
            $"{client}'s list to be [{string.Join(", ", expected)}]",
            timeout);
}
