using OpenChat.Chat;
using OpenChat.Tests.Infrastructure;
using static OpenChat.Tests.Chat.ChatJson;

namespace OpenChat.Tests.Chat;

public sealed class RateLimitEndToEndTests
{
    [Fact]
    public async Task A_sender_beyond_its_burst_is_refused_while_others_keep_talking()
    {
        // A burst of 3 and practically no refill during the test.
        await using var host = await ChatHost.StartAsync(null, "--Chat:MessageBurst=3", "--Chat:MessagesPerSecond=0.001");
        await using var clients = NodeChatClients.Start(host.BaseUri);
        await clients.ConnectAsync("spammer");
        await clients.ConnectAsync("other");
        await clients.ConnectAsync("rich", new { protocol = 2, name = "Rio" });
        Assert.True(Ok(await clients.EmitWithAckAsync("spammer", ChatEvents.AddUsername, "Spam")));

        Assert.True(Ok(await clients.EmitWithAckAsync("other", ChatEvents.SendMessage, "o1")));
        var answers = new List<bool>();
        for (var i = 1; i <= 5; i++)
        {
            var ack = await clients.EmitWithAckAsync("spammer", ChatEvents.SendMessage, $"s{i}");
            answers.Add(Ok(ack));
            if (!Ok(ack))
            {
                Assert.False(string.IsNullOrWhiteSpace(Prop(ack, "reason")));
            }
        }

        Assert.Equal([true, true, true, false, false], answers);

        await clients.EmitAsync("spammer", ChatEvents.SendMessage, "s6");
        var refused = await clients.WaitForReceivedAsync("spammer", ChatEvents.Refused, r => Prop(r, "event") == ChatEvents.SendMessage, "for s6");
        Assert.False(string.IsNullOrWhiteSpace(Prop(refused, "reason")));

        Assert.True(Ok(await clients.EmitWithAckAsync("other", ChatEvents.SendMessage, "o2")));

        // Sent after every spammer message was handled: once it arrives, nothing of theirs is still on its way.
        Assert.True(Ok(await clients.EmitWithAckAsync("other", ChatEvents.SendMessage, "o3")));
        string[] expected = ["Guest: o1", "Spam: s1", "Spam: s2", "Spam: s3", "Guest: o2", "Guest: o3"];
        foreach (var client in new[] { "spammer", "other" })
        {
            await clients.WaitForReceivedAsync(client, ChatEvents.Message, m => Text(m) == "Guest: o3", "\"Guest: o3\"");
            Assert.Equal(expected, clients.Received(client, ChatEvents.Message).Select(Text));
        }

        await clients.WaitForReceivedAsync("rich", ChatEvents.Chat, m => Prop(m, "text") == "o3", "the chat \"o3\"");
        Assert.Equal(["o1", "s1", "s2", "s3", "o2", "o3"], clients.Received("rich", ChatEvents.Chat).Select(c => Prop(c, "text")));
        Assert.Empty(clients.Received("other", ChatEvents.Refused));
        Assert.Empty(clients.Received("rich", ChatEvents.Refused));
    }

    [Fact]
    public async Task Renames_beyond_the_burst_are_refused_to_the_renamer_and_nobody_hears_of_them()
    {
        await using var host = await ChatHost.StartAsync(null, "--Chat:RenameBurst=2", "--Chat:RenamesPerMinute=0.001");
        await using var clients = NodeChatClients.Start(host.BaseUri);
        await clients.ConnectAsync("renamer");
        await clients.ConnectAsync("rich", new { protocol = 2, name = "Rio" });

        Assert.True(Ok(await clients.EmitWithAckAsync("renamer", ChatEvents.AddUsername, "One")));
        Assert.True(Ok(await clients.EmitWithAckAsync("renamer", ChatEvents.AddUsername, "Two")));
        var refused = await clients.EmitWithAckAsync("renamer", ChatEvents.AddUsername, "Three");

        Assert.False(Ok(refused));
        Assert.Contains("name too often", Prop(refused, "reason"));

        // Asking for the name one already has is no rename: it is answered, not counted.
        Assert.True(Ok(await clients.EmitWithAckAsync("renamer", ChatEvents.AddUsername, "Two")));
        Assert.True(Ok(await clients.EmitWithAckAsync("renamer", ChatEvents.SendMessage, "still talking")));
        await clients.WaitForReceivedAsync("rich", ChatEvents.Chat, c => Prop(c, "text") == "still talking", "the message");
        await clients.WaitForLatestAsync("renamer", ChatEvents.Usernames, n => IsList(n, "Two", "Rio"), "[Two, Rio]");
        Assert.DoesNotContain(clients.Received("rich", ChatEvents.System), l => Prop(l, "text")?.Contains("Three", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Connections_from_one_address_share_one_message_budget_beside_their_own()
    {
        // Each connection could send 100; together, from 127.0.0.1, they may send 4.
        await using var host = await ChatHost.StartAsync(null, "--Chat:MessageBurst=100", "--Chat:MessageBurstPerIp=4", "--Chat:MessagesPerSecondPerIp=0.001");
        await using var clients = NodeChatClients.Start(host.BaseUri);
        var senders = new[] { "s1", "s2", "s3" };
        foreach (var sender in senders)
        {
            await clients.ConnectAsync(sender);
        }

        var answers = new List<(bool Ok, string? Reason)>();
        foreach (var sender in senders)
        {
            for (var i = 0; i < 2; i++)
            {
                var ack = await clients.EmitWithAckAsync(sender, ChatEvents.SendMessage, $"{sender}-{i}");
                answers.Add((Ok(ack), Prop(ack, "reason")));
            }
        }

        Assert.Equal([true, true, true, true, false, false], answers.Select(a => a.Ok));
        Assert.All(answers.Where(a => !a.Ok), a => Assert.Contains("from your network", a.Reason));
    }
}
