using System.Text.Json;
using OpenChat.Chat;
using OpenChat.Tests.Infrastructure;
using static OpenChat.Tests.Chat.ChatJson;

namespace OpenChat.Tests.Chat;

/// <summary>Channels with the official client: rich clients create, list, join, write and leave; original clients stay in #general.</summary>
public sealed class ChannelsEndToEndTests
{
    private static readonly object Rich = new { protocol = 2, name = "Ana" };

    [Fact]
    public async Task A_channel_one_client_creates_is_announced_and_only_its_members_receive_its_messages()
    {
        await using var host = await ChatHost.StartAsync();
        await using var clients = NodeChatClients.Start(host.BaseUri);
        await clients.ConnectAsync("ana", Rich);
        await clients.ConnectAsync("ben", new { protocol = 2, name = "Ben" });
        await clients.ConnectAsync("old");

        var created = await clients.EmitWithAckAsync("ana", ChatEvents.CreateChannel, new { name = "random" });
        Assert.True(Ok(created), created.GetRawText());
        Assert.Equal("#random", Prop(created.GetProperty("channel"), "name"));
        await clients.WaitForReceivedAsync("ben", ChatEvents.ChannelCreated, c => Prop(c, "name") == "#random", "#random announced");

        var listed = await clients.EmitWithAckAsync("ben", ChatEvents.Channels);
        Assert.Equal([("#general", true), ("#random", false)], Channels(listed));

        var inRandom = await clients.EmitWithAckAsync("ana", ChatEvents.SendMessage, new { channel = "#random", text = "only for members" });
        Assert.True(Ok(inRandom), inRandom.GetRawText());
        Assert.True(Ok(await clients.EmitWithAckAsync("ana", ChatEvents.SendMessage, "for everyone")));

        // Ben got the later #general message, so he would have had the earlier #random one by now if it were his.
        var general = await clients.WaitForReceivedAsync("ben", ChatEvents.Chat, m => Prop(m, "text") == "for everyone", "the #general message");
        Assert.Equal("#general", Prop(general, "channel"));
        Assert.DoesNotContain(clients.Received("ben", ChatEvents.Chat), m => Prop(m, "channel") == "#random");
        var own = await clients.WaitForReceivedAsync("ana", ChatEvents.Chat, m => Prop(m, "text") == "only for members", "her #random message");
        Assert.Equal(("#random", Prop(inRandom, "id")), (Prop(own, "channel"), Prop(own, "id")));

        var joined = await clients.EmitWithAckAsync("ben", ChatEvents.JoinChannel, new { channel = "#RANDOM" });
        Assert.Equal("#random", Prop(joined.GetProperty("channel"), "name"));
        Assert.Equal([("#general", true), ("#random", true)], Channels(await clients.EmitWithAckAsync("ben", ChatEvents.Channels)));
        Assert.True(Ok(await clients.EmitWithAckAsync("ana", ChatEvents.SendMessage, new { channel = "#random", text = "now Ben too" })));
        await clients.WaitForReceivedAsync("ben", ChatEvents.Chat, m => Prop(m, "text") == "now Ben too", "the #random message once joined");

        // The original client saw the #general message in its own form and nothing of the channel.
        await clients.WaitForReceivedAsync("old", ChatEvents.Message, m => Text(m) == "Ana: for everyone", "the #general message");
        Assert.Equal(["Ana: for everyone"], clients.Received("old", ChatEvents.Message).Select(Text));
        Assert.DoesNotContain(clients.AllReceived("old"), e => e.Name is ChatEvents.ChannelCreated or ChatEvents.Chat);
    }

    [Fact]
    public async Task Original_clients_stay_in_general_and_every_channel_or_history_request_is_refused_to_them()
    {
        await using var host = await ChatHost.StartAsync();
        await using var clients = NodeChatClients.Start(host.BaseUri);
        await clients.ConnectAsync("old");

        var requests = new (string Event, object Argument)[]
        {
            (ChatEvents.Channels, new { }),
            (ChatEvents.CreateChannel, new { name = "#mine" }),
            (ChatEvents.JoinChannel, new { channel = "#general" }),
            (ChatEvents.LeaveChannel, new { channel = "#general" }),
            (ChatEvents.History, new { channel = "#general", limit = 10 }),
        };
        foreach (var (name, argument) in requests)
        {
            var answer = await clients.EmitWithAckAsync("old", name, argument);
            Assert.False(Ok(answer));
            Assert.Equal(ClientProtocol.RichOnly, Prop(answer, "reason"));
        }

        var channelMessage = await clients.EmitWithAckAsync("old", ChatEvents.SendMessage, new { channel = "#general", text = "hi" });
        Assert.Equal("A message must be a string.", Prop(channelMessage, "reason"));
        Assert.Equal(["#general"], (await host.Get<ChannelDirectory>().ListAsync(CancellationToken.None)).Select(c => c.Name));
    }

    [Fact]
    public async Task Channel_names_are_checked_kept_verbatim_and_their_number_is_bounded()
    {
        await using var host = await ChatHost.StartAsync(null, "--Chat:MaxChannels=4", "--Chat:MaxChannelNameLength=16");
        await using var clients = NodeChatClients.Start(host.BaseUri);
        await clients.ConnectAsync("ana", Rich);
        await clients.ConnectAsync("ben", new { protocol = 2, name = "Ben" });

        async Task<string?> RefusalOf(object name)
        {
            var answer = await clients.EmitWithAckAsync("ana", ChatEvents.CreateChannel, new { name });
            Assert.False(Ok(answer), answer.GetRawText());
            return Prop(answer, "reason");
        }

        Assert.Equal("Channel names are at most 16 characters, # included.", await RefusalOf("#" + new string('x', 16)));
        Assert.Equal("A channel needs a name.", await RefusalOf("   "));
        Assert.Equal("A channel needs a name.", await RefusalOf("#"));
        Assert.Equal("Channel names cannot contain control characters, line breaks or direction overrides.", await RefusalOf("#a\nb"));
        Assert.Equal("Channel names cannot contain control characters, line breaks or direction overrides.", await RefusalOf("#evil\u202Egnp"));
        Assert.Equal("Name the new channel: a string, or {name: \"#name\"}.", await RefusalOf(42));

        string[] verbatim = ["#it's \"ok\"", "#<b>x</b>", "#😀 fun"];
        foreach (var name in verbatim)
        {
            var created = await clients.EmitWithAckAsync("ana", ChatEvents.CreateChannel, new { name });
            Assert.True(Ok(created), created.GetRawText());
            Assert.Equal(name, Prop(created.GetProperty("channel"), "name"));
        }

        Assert.Equal("#<b>x</b> already exists; join it instead.", await RefusalOf("#<B>X</B>"));
        Assert.Equal("There are already 4 channels, the most this chat allows.", await RefusalOf("#one-more"));
        Assert.Equal(["#general", .. verbatim], Channels(await clients.EmitWithAckAsync("ben", ChatEvents.Channels)).Select(c => c.Name));

        // Each name reaches the others exactly as created, and works as a place to write.
        foreach (var name in verbatim)
        {
            await clients.WaitForReceivedAsync("ben", ChatEvents.ChannelCreated, c => Prop(c, "name") == name, name);
            Assert.True(Ok(await clients.EmitWithAckAsync("ben", ChatEvents.JoinChannel, name)));
            Assert.True(Ok(await clients.EmitWithAckAsync("ana", ChatEvents.SendMessage, new { channel = name, text = "in " + name })));
            var got = await clients.WaitForReceivedAsync("ben", ChatEvents.Chat, m => Prop(m, "text") == "in " + name, "a message in " + name);
            Assert.Equal(name, Prop(got, "channel"));
        }
    }

    [Fact]
    public async Task Writing_in_a_channel_needs_joining_it_first_and_everyone_stays_in_general()
    {
        await using var host = await ChatHost.StartAsync();
        await using var clients = NodeChatClients.Start(host.BaseUri);
        await clients.ConnectAsync("ana", Rich);
        await clients.ConnectAsync("ben", new { protocol = 2, name = "Ben" });
        Assert.True(Ok(await clients.EmitWithAckAsync("ana", ChatEvents.CreateChannel, "#quiet")));

        var notJoined = await clients.EmitWithAckAsync("ben", ChatEvents.SendMessage, new { channel = "#quiet", text = "hello?" });
        Assert.Equal("Join #quiet before writing in it.", Prop(notJoined, "reason"));
        var nowhere = await clients.EmitWithAckAsync("ben", ChatEvents.SendMessage, new { channel = "#nowhere", text = "hello?" });
        Assert.Equal("There is no such channel.", Prop(nowhere, "reason"));
        var unknown = await clients.EmitWithAckAsync("ben", ChatEvents.JoinChannel, "#nowhere");
        Assert.Equal("There is no such channel.", Prop(unknown, "reason"));
        var shapeless = await clients.EmitWithAckAsync("ben", ChatEvents.SendMessage, new { channel = "#quiet" });
        Assert.Equal("A message must be a string, or {channel, text} with strings.", Prop(shapeless, "reason"));

        Assert.True(Ok(await clients.EmitWithAckAsync("ana", ChatEvents.LeaveChannel, "#quiet")));
        var left = await clients.EmitWithAckAsync("ana", ChatEvents.SendMessage, new { channel = "#quiet", text = "still here?" });
        Assert.Equal("Join #quiet before writing in it.", Prop(left, "reason"));
        var general = await clients.EmitWithAckAsync("ana", ChatEvents.LeaveChannel, "#general");
        Assert.Equal("Everyone stays in #general.", Prop(general, "reason"));
        Assert.Equal([("#general", true), ("#quiet", false)], Channels(await clients.EmitWithAckAsync("ana", ChatEvents.Channels)));

        // Without a callback, refusals come as "refused", to the sender alone.
        await clients.EmitAsync("ben", ChatEvents.JoinChannel, "#nowhere");
        await clients.WaitForReceivedAsync("ben", ChatEvents.Refused, r => Prop(r, "event") == ChatEvents.JoinChannel, "the refused join");
        Assert.Empty(clients.Received("ana", ChatEvents.Refused));
    }

    private static (string Name, bool Joined)[] Channels(JsonElement answer)
    {
        Assert.True(Ok(answer), answer.GetRawText());
        return answer.GetProperty("channels").EnumerateArray().Select(c => (c.GetProperty("name").GetString()!, c.GetProperty("joined").GetBoolean())).ToArray();
    }
}
