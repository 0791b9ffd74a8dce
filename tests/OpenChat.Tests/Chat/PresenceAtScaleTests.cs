using System.Text.Json;
using OpenChat.Chat;
using OpenChat.Tests.Infrastructure;
using Xunit.Abstractions;

namespace OpenChat.Tests.Chat;

/// <summary>
/// Many official clients (original ones and a few rich ones) joining, renaming and leaving at once, with the
/// default presence window. When a list stays wrong, the crowd script reports who is behind and what each
/// of them received.
/// </summary>
public sealed class PresenceAtScaleTests(ITestOutputHelper output)
{
    private const int Classic = 190;
    private const int Rich = 10;
    private const int Everyone = Classic + Rich;
    private static readonly TimeSpan CrowdWait = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task Two_hundred_clients_joining_at_once_end_with_the_exact_list_from_few_updates()
    {
        await using var host = await ChatHost.StartAsync();
        await using var crowd = NodeChatProcess.Start("chat-crowd.js", new { url = host.BaseUri.ToString(), classic = Classic, rich = Rich, timeoutMs = 55_000 });
        var users = host.Get<UserDirectory>();
        var presence = host.Get<PresenceBroadcaster>();

        await crowd.SendAsync(new { cmd = "open" });
        var ids = (await crowd.WaitForAsync("opened", timeout: CrowdWait)).GetProperty("ids").Deserialize<Dictionary<string, string>>()!;
        Assert.Equal(Everyone, ids.Count);

        var from = crowd.Lines.Count;
        await crowd.SendAsync(new { cmd = "await", length = Everyone, withinMs = 20_000 });
        var burst = await crowd.WaitForAsync("settled", from: from, timeout: CrowdWait);

        Assert.Equal(Everyone, users.Count);
        AssertExact(burst, ids.Keys, users);

        // Each original client heard of the burst in a handful of lists, not one per join.
        var updates = presence.UpdatesSent;
        var frames = Classics(burst).Select(c => c.Value.GetProperty("frames").GetInt32()).ToList();
        output.WriteLine($"{updates} presence updates; usernames lists per original client: max {frames.Max()}, mean {frames.Average():0.#}");
        Assert.All(frames, f => Assert.InRange(f, 1, updates + 1));
        Assert.True(frames.Max() <= Everyone / 4, $"an original client got {frames.Max()} usernames lists for {Everyone} joins ({updates} presence updates)");
        Assert.True(updates <= Everyone / 4, $"{updates} presence updates for {Everyone} joins");

        // Then a fifth renames and a tenth leaves, all at once.
        var renames = Enumerable.Range(0, 40).ToDictionary(i => $"c{i}", i => $"user-{i}");
        var leavers = Enumerable.Range(40, 20).Select(i => $"c{i}").ToList();
        var before = users.Snapshot();
        from = crowd.Lines.Count;
        await crowd.SendAsync(new { cmd = "rename", names = renames });
        await crowd.SendAsync(new { cmd = "disconnect", clients = leavers });
        var renamed = await crowd.WaitForAsync("renamed", from: from, timeout: CrowdWait);
        Assert.All(renamed.GetProperty("acks").EnumerateObject(), a => Assert.True(a.Value.GetProperty("ok").GetBoolean()));

        var newNames = renames.ToDictionary(r => ids[r.Key], r => r.Value);
        var goneIds = leavers.Select(l => ids[l]).ToHashSet();
        var expected = before.Where(u => !goneIds.Contains(u.Id)).Select(u => newNames.TryGetValue(u.Id, out var n) ? u with { Name = n } : u).ToList();
        from = crowd.Lines.Count;
        await crowd.SendAsync(new { cmd = "await", names = expected.Select(u => u.Name), users = expected.Select(u => new { id = u.Id, name = u.Name }), withinMs = 20_000 });
        var after = await crowd.WaitForAsync("settled", from: from, timeout: CrowdWait);

        Assert.Equal(expected, users.Snapshot());
        AssertExact(after, ids.Keys.Except(leavers), users);
    }

    [Fact]
    public async Task Rich_clients_joining_in_a_crowd_each_end_with_the_exact_sidebar()
    {
        // Every rich newcomer's snapshot races the deltas of the others joining around it; with no presence
        // window each join is its own update, so the races are many.
        const int rich = 180;
        await using var host = await ChatHost.StartAsync(null, "--Chat:PresenceWindow=00:00:00");
        await using var crowd = NodeChatProcess.Start("chat-crowd.js", new { url = host.BaseUri.ToString(), classic = 20, rich, timeoutMs = 55_000 });

        await crowd.SendAsync(new { cmd = "open" });
        var ids = (await crowd.WaitForAsync("opened", timeout: CrowdWait)).GetProperty("ids").Deserialize<Dictionary<string, string>>()!;
        var from = crowd.Lines.Count;
        await crowd.SendAsync(new { cmd = "await", length = ids.Count, withinMs = 20_000 });
        var settled = await crowd.WaitForAsync("settled", from: from, timeout: CrowdWait);

        AssertExact(settled, ids.Keys, host.Get<UserDirectory>());
    }

    /// <summary>Every listed client reported, each list equals the directory's names, each sidebar its users.</summary>
    private static void AssertExact(JsonElement settled, IEnumerable<string> clients, UserDirectory users)
    {
        var names = users.Names();
        var snapshot = users.Snapshot().OrderBy(u => u.Id, StringComparer.Ordinal).ToList();
        var classics = Classics(settled).ToList();
        var riches = settled.GetProperty("rich").EnumerateObject().ToList();
        Assert.Equal(clients.Order(StringComparer.Ordinal), classics.Concat(riches).Select(c => c.Name).Order(StringComparer.Ordinal));
        foreach (var client in classics)
        {
            Assert.Equal(names, client.Value.GetProperty("names").Deserialize<string[]>());
        }

        foreach (var client in riches)
        {
            var sidebar = client.Value.GetProperty("sidebar").EnumerateArray()
                .Select(u => new PresenceEntry(u.GetProperty("id").GetString()!, u.GetProperty("name").GetString()!))
                .OrderBy(u => u.Id, StringComparer.Ordinal);
            Assert.Equal(snapshot, sidebar);
        }
    }

    private static IEnumerable<JsonProperty> Classics(JsonElement settled) => settled.GetProperty("classic").EnumerateObject();
}
