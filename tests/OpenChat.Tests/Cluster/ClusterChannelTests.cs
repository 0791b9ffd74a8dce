using OpenChat.Chat;
using OpenChat.Tests.Infrastructure;
using static OpenChat.Tests.Chat.ChatJson;

namespace OpenChat.Tests.Cluster;

/// <summary>
/// Channels across two OpenChat instances on one real Redis and one shared store, with the official client:
/// a channel created on one instance is announced to the rich clients of the other and can be joined there;
/// its messages reach its members on both instances and nobody else.
/// </summary>
public sealed class ClusterChannelTests(RedisServer redis) : IClassFixture<RedisServer>, IDisposable
{
    private readonly TempFolder _data = new();

    [Fact]
    public async Task A_channel_created_on_one_instance_is_announced_joined_and_written_in_from_the_other()
    {
        await using var a = await StartAsync();
        await using var b = await StartAsync();
        await using var clients = NodeChatClients.Start(a.BaseUri);
        await clients.ConnectAsync("ana", new { protocol = 2, name = "Ana" }, ["websocket"], a.BaseUri);
        await clients.ConnectAsync("ben", new { protocol = 2, name = "Ben" }, ["websocket"], b.BaseUri);
        await clients.ConnectAsync("cy", new { protocol = 2, name = "Cy" }, ["websocket"], b.BaseUri);
        await clients.ConnectAsync("old", transports: ["websocket"], server: b.BaseUri);

        // Created on A: every rich client of B hears of it, the original client does not.
        var created = await clients.EmitWithAckAsync("ana", ChatEvents.CreateChannel, new { name = "#random" });
        Assert.True(Ok(created), created.GetRawText());
        await clients.WaitForReceivedAsync("ben", ChatEvents.ChannelCreated, c => Prop(c, "name") == "#random", "#random announced on B");
        await clients.WaitForReceivedAsync("cy", ChatEvents.ChannelCreated, c => Prop(c, "name") == "#random", "#random announced on B");
        Assert.Equal([("#general", true), ("#random", false)], Channels(await clients.EmitWithAckAsync("ben", ChatEvents.Channels)));

        // Joined on B, which had never seen it.
        var joined = await clients.EmitWithAckAsync("ben", ChatEvents.JoinChannel, new { channel = "#random" });
        Assert.True(Ok(joined), joined.GetRawText());

        // A's message in #random reaches its member on B; B's reaches its creator on A.
        Assert.True(Ok(await clients.EmitWithAckAsync("ana", ChatEvents.SendMessage, new { channel = "#random", text = "from A" })));
        var fromA = await clients.WaitForReceivedAsync("ben", ChatEvents.Chat, m => Prop(m, "text") == "from A", "A's #random message on B");
        Assert.Equal("#random", Prop(fromA, "channel"));
        Assert.True(Ok(await clients.EmitWithAckAsync("ben", ChatEvents.SendMessage, new { channel = "#random", text = "from B" })));
        var fromB = await clients.WaitForReceivedAsync("ana", ChatEvents.Chat, m => Prop(m, "text") == "from B", "B's #random message on A");
        Assert.Equal("#random", Prop(fromB, "channel"));

        // A later #general message reached the non-members on B, so the #random ones would have by now if they were theirs.
        Assert.True(Ok(await clients.EmitWithAckAsync("ana", ChatEvents.SendMessage, "for everyone")));
        await clients.WaitForReceivedAsync("cy", ChatEvents.Chat, m => Prop(m, "text") == "for everyone", "the #general message on B");
        await clients.WaitForReceivedAsync("old", ChatEvents.Message, m => Text(m) == "Ana: for everyone", "the #general message on B");
        await clients.WaitForReceivedAsync("ben", ChatEvents.Chat, m => Prop(m, "text") == "for everyone", "the #general message on B");
        Assert.Equal(["for everyone"], clients.Received("cy", ChatEvents.Chat).Select(m => Prop(m, "text")));
        Assert.Equal(["Ana: for everyone"], clients.Received("old", ChatEvents.Message).Select(Text));
        Assert.DoesNotContain(clients.AllReceived("old"), e => e.Name is ChatEvents.ChannelCreated or ChatEvents.Chat);

        // Each member got each #random message once.
        foreach (var member in new[] { "ana", "ben" })
        {
            Assert.Equal(["from A", "from B"], clients.Received(member, ChatEvents.Chat).Where(m => Prop(m, "channel") == "#random").Select(m => Prop(m, "text")));
        }

        // And the other way round: created on B, announced on A.
        Assert.True(Ok(await clients.EmitWithAckAsync("cy", ChatEvents.CreateChannel, "#cy-side")));
        await clients.WaitForReceivedAsync("ana", ChatEvents.ChannelCreated, c => Prop(c, "name") == "#cy-side", "#cy-side announced on A");
    }

    public void Dispose() => _data.Dispose();

    private Task<ChatHost> StartAsync() => ChatHost.StartInAsync(_data.Path, $"--Redis:Configuration={redis.Configuration}");

    private static (string Name, bool Joined)[] Channels(System.Text.Json.JsonElement listed) =>
        [.. listed.GetProperty("channels").EnumerateArray().Select(c => (c.GetProperty("name").GetString()!, c.GetProperty("joined").GetBoolean()))];
}
