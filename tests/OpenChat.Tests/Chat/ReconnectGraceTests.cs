using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OpenChat.Chat;
using OpenChat.Tests.Infrastructure;
using static OpenChat.Tests.Chat.ChatJson;

namespace OpenChat.Tests.Chat;

/// <summary>
/// The real app and official clients, with the reconnect grace on a fake clock: a rich client whose connection
/// drops stays listed until the grace ends, and one that recovers its session meanwhile was never gone for anyone.
/// </summary>
public sealed class ReconnectGraceTests
{
    private static readonly TimeSpan Grace = new ChatOptions().ReconnectGrace;

    private static readonly object Ana = new { protocol = 2, name = "Ana" };

    private static readonly object Ben = new { protocol = 2, name = "Ben" };

    private readonly FakeTimeProvider _clock = new();

    /// <summary>The app as configured, except that held leaves run on the test's clock.</summary>
    private Task<ChatHost> StartAsync() => ChatHost.StartAsync(builder =>
        builder.Services.AddSingleton(sp => new HeldLeaves(sp.GetRequiredService<IOptions<ChatOptions>>(), _clock)));

    /// <summary>Ana and Ben (rich) and an original client, all listed everywhere.</summary>
    private static async Task<NodeChatClients> ThreeUsersAsync(ChatHost host)
    {
        var clients = NodeChatClients.Start(host.BaseUri);
        await clients.ConnectAsync("ana", Ana, ["websocket"]);
        await clients.ConnectAsync("ben", Ben, ["websocket"]);
        await clients.ConnectAsync("cy", transports: ["websocket"]);
        await clients.WaitForLatestAsync("cy", ChatEvents.Usernames, n => IsList(n, "Ana", "Ben", "Guest"), "everyone");
        await clients.WaitForReceivedAsync("ben", ChatEvents.System, l => Prop(l, "text") == "Guest joined", "the original client's join");
        return clients;
    }

    private static string[] Lines(NodeChatClients clients, string client) =>
        [.. clients.Received(client, ChatEvents.System).Select(l => Prop(l, "text")!)];

    /// <summary>The lines a client got after the first <paramref name="skip"/> (those of the three joins, in whatever windows they fell).</summary>
    private static string[] LinesAfter(NodeChatClients clients, string client, int skip) => [.. Lines(clients, client).Skip(skip)];

    [Fact]
    public async Task A_rich_client_back_within_the_grace_recovers_its_session_and_nobody_sees_it_leave_or_join_again()
    {
        await using var host = await StartAsync();
        await using var clients = await ThreeUsersAsync(host);
        var anaId = clients.Received("ana", ChatEvents.PresenceSnapshot)[0].GetProperty("users")[0].GetProperty("id").GetString();
        var benLines = Lines(clients, "ben").Length;

        await clients.DropAsync("ana");
        await host.WaitUntilAsync(() => host.Get<HeldLeaves>().Count == 1);
        Assert.True(Ok(await clients.EmitWithAckAsync("ben", ChatEvents.SendMessage, "while Ana is away")));
        _clock.Advance(Grace - TimeSpan.FromMilliseconds(1));
        var (id, recovered) = await clients.ReconnectAsync("ana");
        Assert.True(Ok(await clients.EmitWithAckAsync("ben", ChatEvents.SendMessage, "Ana is back")));
        await clients.WaitForReceivedAsync("ana", ChatEvents.Chat, m => Prop(m, "text") == "Ana is back", "the live message");
        Assert.True(Ok(await clients.EmitWithAckAsync("cy", ChatEvents.SendMessage, "last")));
        await clients.WaitForReceivedAsync("ben", ChatEvents.Chat, m => Prop(m, "text") == "last", "the last message");

        Assert.True(recovered);
        Assert.Equal(anaId, id);
        Assert.Equal(["while Ana is away", "Ana is back", "last"], clients.Received("ana", ChatEvents.Chat).Select(m => Prop(m, "text")));
        Assert.Equal(0, host.Get<HeldLeaves>().Count);
        Assert.Equal(["Ana", "Ben", "Guest"], host.Get<UserDirectory>().Names());

        // Ben and Cy never heard of the drop: no line, and every list since Ana first appeared has her in her place.
        Assert.Empty(LinesAfter(clients, "ben", benLines));
        Assert.All(clients.Received("cy", ChatEvents.Usernames), n => Assert.Equal("Ana", Strings(n)![0]));

        // Ana got the current list again when she came back.
        Assert.Equal(["Ana", "Ben", "Guest"], Users(clients.Received("ana", ChatEvents.PresenceSnapshot)[^1]).Select(u => u.Name));
    }

    [Fact]
    public async Task When_the_grace_ends_first_everyone_hears_it_left_and_a_recovery_after_that_is_a_join_again()
    {
        await using var host = await StartAsync();
        await using var clients = await ThreeUsersAsync(host);
        var benLines = Lines(clients, "ben").Length;
        await clients.DropAsync("ana");
        await host.WaitUntilAsync(() => host.Get<HeldLeaves>().Count == 1);

        _clock.Advance(Grace);

        await clients.WaitForLatestAsync("cy", ChatEvents.Usernames, n => IsList(n, "Ben", "Guest"), "without Ana");
        await clients.WaitForReceivedAsync("ben", ChatEvents.System, l => Prop(l, "text") == "Ana left", "the leave line");
        Assert.Equal(["Ben", "Guest"], host.Get<UserDirectory>().Names());

        var (_, recovered) = await clients.ReconnectAsync("ana");
        Assert.True(recovered);
        await clients.WaitForLatestAsync("cy", ChatEvents.Usernames, n => IsList(n, "Ben", "Guest", "Ana"), "Ana again, last");
        await clients.WaitForReceivedAsync("ben", ChatEvents.System, l => Prop(l, "text") == "Ana joined", "the join line");
        Assert.Equal(["Ana left", "Ana joined"], LinesAfter(clients, "ben", benLines));
    }

    [Fact]
    public async Task Recovery_is_on_in_the_app_its_section_tunes_it_and_Enabled_false_turns_it_and_the_grace_off()
    {
        await using (var tuned = await ChatHost.StartAsync(null, "--SocketIO:ConnectionStateRecovery:MaxDisconnectionDuration=00:00:30"))
        {
            var recovery = tuned.Get<OpenChat.SocketIO.SocketIOServer>().Options.ConnectionStateRecovery;
            Assert.True(recovery is { Enabled: true, SkipMiddlewares: true, MaxRetainedPackets: 10_000 });
            Assert.Equal(TimeSpan.FromSeconds(30), recovery.MaxDisconnectionDuration);
        }

        await using var off = await ChatHost.StartAsync(
            builder => builder.Services.AddSingleton(sp => new HeldLeaves(sp.GetRequiredService<IOptions<ChatOptions>>(), _clock)),
            "--SocketIO:ConnectionStateRecovery:Enabled=false");
        await using var clients = await ThreeUsersAsync(off);
        await clients.DropAsync("ana");
        await clients.WaitForReceivedAsync("ben", ChatEvents.System, l => Prop(l, "text") == "Ana left", "the leave line, at once");
        var (_, recovered) = await clients.ReconnectAsync("ana");
        Assert.False(recovered);
        Assert.Equal(0, off.Get<HeldLeaves>().Count);
    }

    [Theory]
    [InlineData("a rich client that leaves")]
    [InlineData("an original client that drops")]
    public async Task Others_leave_at_once_whatever_the_clock(string who)
    {
        await using var host = await StartAsync();
        await using var clients = await ThreeUsersAsync(host);

        if (who == "a rich client that leaves")
        {
            await clients.DisconnectAsync("ana");
            await clients.WaitForLatestAsync("cy", ChatEvents.Usernames, n => IsList(n, "Ben", "Guest"), "without Ana");
            await clients.WaitForReceivedAsync("ben", ChatEvents.System, l => Prop(l, "text") == "Ana left", "the leave line");
        }
        else
        {
            await clients.DropAsync("cy");
            await clients.WaitForReceivedAsync("ben", ChatEvents.System, l => Prop(l, "text") == "Guest left", "the leave line");
        }

        Assert.Equal(0, host.Get<HeldLeaves>().Count);
    }
}
