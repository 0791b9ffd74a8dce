using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OpenChat.Chat;
using OpenChat.SocketIO;
using OpenChat.Tests.Infrastructure;
using static OpenChat.Tests.Chat.ChatJson;

namespace OpenChat.Tests.Chat;

/// <summary>
/// The real app and clients, with the presence window on a fake clock: a window closes only when the test
/// says so, which makes "held until the window ends" and "one summary for the window" exact.
/// </summary>
public sealed class PresenceWindowTests
{
    private static readonly TimeSpan Window = new ChatOptions().PresenceWindow;

    [Fact]
    public async Task Many_joins_in_one_window_give_a_rich_client_a_single_summary_line()
    {
        var clock = new FakeTimeProvider();
        await using var host = await StartAsync(clock);
        await using var clients = NodeChatClients.Start(host.BaseUri);
        await clients.ConnectAsync("rich", new { protocol = 2, name = "Rita" });

        // Its own join came after a quiet spell, so it went out at once.
        await clients.WaitForReceivedAsync("rich", ChatEvents.System, l => Prop(l, "text") == "Rita joined", "\"Rita joined\"");

        var newcomers = Enumerable.Range(0, 10).Select(i => $"c{i}").ToList();
        foreach (var client in newcomers)
        {
            await clients.ConnectAsync(client);

            // Any answer proves the connection handler, which records the join, has run.
            Assert.True(Ok(await clients.EmitWithAckAsync(client, ChatEvents.SendMessage, "hi")));
        }

        clock.Advance(Window);
        var summary = await clients.WaitForReceivedAsync("rich", ChatEvents.System, l => Prop(l, "kind") == "join" && Prop(l, "text") != "Rita joined", "a second join line");

        Assert.Equal("10 people joined", Prop(summary, "text"));
        Assert.Equal(["Rita joined", "10 people joined"], clients.Received("rich", ChatEvents.System).Select(l => Prop(l, "text")));
        var deltas = clients.Received("rich", ChatEvents.PresenceDelta);
        Assert.Equal(2, deltas.Count);
        Assert.Equal(10, deltas[1].GetProperty("joined").GetArrayLength());
    }

    [Fact]
    public async Task A_few_joins_in_one_window_get_a_line_each()
    {
        var clock = new FakeTimeProvider();
        await using var host = await StartAsync(clock);
        await using var clients = NodeChatClients.Start(host.BaseUri);
        await clients.ConnectAsync("rich", new { protocol = 2, name = "Rita" });
        await clients.WaitForReceivedAsync("rich", ChatEvents.System, l => Prop(l, "text") == "Rita joined", "\"Rita joined\"");

        foreach (var client in new[] { "a", "b", "c" })
        {
            await clients.ConnectAsync(client);
            Assert.True(Ok(await clients.EmitWithAckAsync(client, ChatEvents.SendMessage, "hi")));
        }

        clock.Advance(Window);
        await clients.WaitForLatestAsync("a", ChatEvents.Usernames, n => IsList(n, "Rita", "Guest", "Guest", "Guest"), "[Rita, Guest, Guest, Guest]");
        await clients.Process.WaitUntilAsync(_ => clients.Received("rich", ChatEvents.System).Count >= 4, "four system lines");
        Assert.Equal(["Rita joined", "Guest joined", "Guest joined", "Guest joined"], clients.Received("rich", ChatEvents.System).Select(l => Prop(l, "text")));
    }

    [Fact]
    public async Task A_newcomer_gets_everyone_already_there_at_once_while_the_window_is_still_open()
    {
        var clock = new FakeTimeProvider();
        await using var host = await StartAsync(clock);
        await using var clients = NodeChatClients.Start(host.BaseUri);
        await clients.ConnectAsync("a");
        await clients.WaitForLatestAsync("a", ChatEvents.Usernames, n => IsList(n, "Guest"), "[Guest]");
        Assert.True(Ok(await clients.EmitWithAckAsync("a", ChatEvents.AddUsername, "Ana")));
        await clients.ConnectAsync("b");
        Assert.True(Ok(await clients.EmitWithAckAsync("b", ChatEvents.AddUsername, "Bo")));

        // The window that holds Ana's rename and Bo's join stays open: only a direct answer can tell c.
        await clients.ConnectAsync("c");
        var first = await clients.WaitForReceivedAsync("c", ChatEvents.Usernames, _ => true, "its first list");
        Assert.Equal(["Ana", "Bo", "Guest"], Strings(first) ?? []);
        Assert.Equal(ChatEvents.Usernames, clients.AllReceived("c")[0].Name);

        var richId = await clients.ConnectAsync("d", new { protocol = 2, name = "Dee" });
        var snapshot = await clients.WaitForReceivedAsync("d", ChatEvents.PresenceSnapshot, _ => true, "its snapshot");
        Assert.Equal(ChatEvents.PresenceSnapshot, clients.AllReceived("d")[0].Name);
        Assert.Equal(["Ana", "Bo", "Guest", "Dee"], Users(snapshot).Select(u => u.Name));
        Assert.Equal(richId, Users(snapshot)[^1].Id);

        // Still held for the others: a has heard of no one but itself.
        Assert.True(Ok(await clients.EmitWithAckAsync("a", ChatEvents.SendMessage, "anyone?")));
        await clients.WaitForReceivedAsync("a", ChatEvents.Message, m => Text(m) == "Ana: anyone?", "its own message");
        Assert.All(clients.Received("a", ChatEvents.Usernames), n => Assert.True(IsList(n, "Guest")));

        clock.Advance(Window);
        foreach (var client in new[] { "a", "b", "c" })
        {
            await clients.WaitForLatestAsync(client, ChatEvents.Usernames, n => IsList(n, "Ana", "Bo", "Guest", "Dee"), "everyone");
        }

        // Its own list, then one list for the whole window: the update for its own join would have repeated
        // the list it already had, so it was left out of that one.
        Assert.Equal(2, clients.Received("a", ChatEvents.Usernames).Count);
    }

    [Fact]
    public async Task Several_renames_of_one_person_in_a_window_are_one_line_and_a_summary_counts_people_not_renames()
    {
        var clock = new FakeTimeProvider();
        await using var host = await StartAsync(clock, "--Chat:RenameBurst=10");
        await using var clients = NodeChatClients.Start(host.BaseUri);
        await clients.ConnectAsync("rich", new { protocol = 2, name = "Rita" });
        var renamers = new[] { "a", "b", "c", "d" };
        foreach (var client in renamers)
        {
            await clients.ConnectAsync(client);
            Assert.True(Ok(await clients.EmitWithAckAsync(client, ChatEvents.SendMessage, "hi")));
        }

        clock.Advance(Window);
        await clients.Process.WaitUntilAsync(_ => clients.Received("rich", ChatEvents.System).Count >= 2, "the join lines");
        var before = clients.Received("rich", ChatEvents.System).Count;

        // One window: a renames three times; then, next window, four people rename twice each.
        foreach (var name in new[] { "Ann", "Anna", "Annie" })
        {
            Assert.True(Ok(await clients.EmitWithAckAsync("a", ChatEvents.AddUsername, name)));
        }

        clock.Advance(Window);
        var line = await clients.WaitForReceivedAsync("rich", ChatEvents.System, l => Prop(l, "kind") == "rename", "a rename line");
        Assert.Equal("Guest is now Annie", Prop(line, "text"));

        foreach (var client in renamers)
        {
            Assert.True(Ok(await clients.EmitWithAckAsync(client, ChatEvents.AddUsername, $"{client}1")));
            Assert.True(Ok(await clients.EmitWithAckAsync(client, ChatEvents.AddUsername, $"{client}2")));
        }

        clock.Advance(Window);
        var summary = await clients.WaitForReceivedAsync("rich", ChatEvents.System, l => Prop(l, "kind") == "rename" && Prop(l, "text")?.Contains("people", StringComparison.Ordinal) == true, "a rename summary");
        Assert.Equal("4 people changed their names", Prop(summary, "text"));
        Assert.Equal(before + 2, clients.Received("rich", ChatEvents.System).Count);
    }

    [Fact]
    public async Task Someone_who_joins_and_renames_in_one_window_joins_under_the_new_name_with_no_rename_line()
    {
        var clock = new FakeTimeProvider();
        await using var host = await StartAsync(clock);
        await using var clients = NodeChatClients.Start(host.BaseUri);
        await clients.ConnectAsync("rich", new { protocol = 2, name = "Rita" });
        await clients.WaitForReceivedAsync("rich", ChatEvents.System, l => Prop(l, "text") == "Rita joined", "\"Rita joined\"");

        await clients.ConnectAsync("late");
        Assert.True(Ok(await clients.EmitWithAckAsync("late", ChatEvents.AddUsername, "Lea")));
        clock.Advance(Window);

        await clients.WaitForReceivedAsync("rich", ChatEvents.System, l => Prop(l, "text") == "Lea joined", "\"Lea joined\"");
        Assert.Equal(["Rita joined", "Lea joined"], clients.Received("rich", ChatEvents.System).Select(l => Prop(l, "text")));
    }

    /// <summary>The app as configured, except that the presence window runs on <paramref name="clock"/>.</summary>
    private static Task<ChatHost> StartAsync(FakeTimeProvider clock, params string[] args) => ChatHost.StartAsync(
        builder => builder.Services.AddSingleton(sp => new PresenceBroadcaster(
            sp.GetRequiredService<SocketIOServer>(),
            sp.GetRequiredService<UserDirectory>(),
            sp.GetRequiredService<IOptions<ChatOptions>>(),
            clock)),
        args);
}
