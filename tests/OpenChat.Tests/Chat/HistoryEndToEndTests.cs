using System.Text.Json;
using OpenChat.Chat;
using OpenChat.Tests.Infrastructure;
using OpenChat.Tests.Storage;
using static OpenChat.Tests.Chat.ChatJson;

namespace OpenChat.Tests.Chat;

/// <summary>The history contract with the official client: pages oldest first, paging back, limits, refusals, and a restart.</summary>
public sealed class HistoryEndToEndTests
{
    private static readonly object Rich = new { protocol = 2, name = "Ana" };
    private static readonly string[] Unlimited = ["--Chat:MessagesPerSecond=100000", "--Chat:MessageBurst=100000", "--Chat:MessagesPerSecondPerIp=0"];

    [Fact]
    public async Task History_gives_the_last_messages_oldest_first_and_pages_back_with_before()
    {
        await using var host = await ChatHost.StartAsync(null, [.. Unlimited, "--Chat:HistoryMaxLimit=20", "--Chat:HistoryDefaultLimit=5"]);
        await using var clients = NodeChatClients.Start(host.BaseUri);
        await clients.ConnectAsync("ana", Rich);
        var acks = new List<string>();
        for (var i = 1; i <= 30; i++)
        {
            var ack = await clients.EmitWithAckAsync("ana", ChatEvents.SendMessage, $"m{i}");
            acks.Add(Prop(ack, "id")!);
        }

        var last = Messages(await clients.EmitWithAckAsync("ana", ChatEvents.History, new { channel = "#general", limit = 10 }));
        Assert.Equal(Enumerable.Range(21, 10).Select(i => $"m{i}"), last.Select(m => m.Text));
        Assert.Equal(acks[20..], last.Select(m => m.Id));

        var previous = Messages(await clients.EmitWithAckAsync("ana", ChatEvents.History, new { channel = "#general", before = last[0].Id, limit = 10 }));
        Assert.Equal(Enumerable.Range(11, 10).Select(i => $"m{i}"), previous.Select(m => m.Text));

        // A number is accepted for before too, and the oldest page is shorter than the limit.
        var oldest = Messages(await clients.EmitWithAckAsync("ana", ChatEvents.History, new { channel = "general", before = long.Parse(previous[0].Id), limit = 10 }));
        Assert.Equal(Enumerable.Range(1, 10).Select(i => $"m{i}"), oldest.Select(m => m.Text));
        Assert.Empty(Messages(await clients.EmitWithAckAsync("ana", ChatEvents.History, new { channel = "#general", before = oldest[0].Id, limit = 10 })));

        Assert.Equal(20, Messages(await clients.EmitWithAckAsync("ana", ChatEvents.History, new { channel = "#general", limit = 1000 })).Length);
        Assert.Equal(5, Messages(await clients.EmitWithAckAsync("ana", ChatEvents.History, new { channel = "#general" })).Length);

        // Each message as stored: the same id, name, text and time the live copy carried.
        var live = clients.Received("ana", ChatEvents.Chat).Last();
        var stored = last[^1];
        Assert.Equal((Prop(live, "id"), Prop(live, "channel"), Prop(live, "username"), Prop(live, "text"), live.GetProperty("sentAt").GetInt64()), (stored.Id, stored.Channel, stored.Username, stored.Text, stored.SentAt));
    }

    [Fact]
    public async Task Quotes_sql_markup_and_emoji_come_back_from_history_exactly_as_sent()
    {
        await using var host = await ChatHost.StartAsync(null, Unlimited);
        await using var clients = NodeChatClients.Start(host.BaseUri);
        await clients.ConnectAsync("ana", new { protocol = 2, name = "O'Brien <b>\"😀\"</b>" });
        Assert.True(Ok(await clients.EmitWithAckAsync("ana", ChatEvents.CreateChannel, "#'; DROP TABLE x;--")));
        foreach (var text in ChatStoreContract.Awkward)
        {
            Assert.True(Ok(await clients.EmitWithAckAsync("ana", ChatEvents.SendMessage, new { channel = "#'; DROP TABLE x;--", text })));
        }

        var page = Messages(await clients.EmitWithAckAsync("ana", ChatEvents.History, new { channel = "#'; DROP TABLE x;--", limit = 50 }));

        Assert.Equal(ChatStoreContract.Awkward, page.Select(m => m.Text));
        Assert.All(page, m => Assert.Equal(("#'; DROP TABLE x;--", "O'Brien <b>\"😀\"</b>"), (m.Channel, m.Username)));
        Assert.Empty(Messages(await clients.EmitWithAckAsync("ana", ChatEvents.History, new { channel = "#general", limit = 50 })));
    }

    [Fact]
    public async Task A_malformed_history_request_is_refused_to_that_client_alone_and_its_connection_carries_on()
    {
        await using var host = await ChatHost.StartAsync();
        await using var clients = NodeChatClients.Start(host.BaseUri);
        await clients.ConnectAsync("ana", Rich);
        await clients.ConnectAsync("ben", new { protocol = 2, name = "Ben" });

        var malformed = new (object? Request, string Reason)[]
        {
            ("#general", HistoryRequest.Shape),
            (42, HistoryRequest.Shape),
            (null, HistoryRequest.Shape),
            (new[] { "#general" }, HistoryRequest.Shape),
            (new { limit = 10 }, HistoryRequest.Shape),
            (new { channel = 7, limit = 10 }, HistoryRequest.Shape),
            (new { channel = "#general", before = "abc" }, "before must be the id of a message (as received in chat or history)."),
            (new { channel = "#general", before = "12a" }, "before must be the id of a message (as received in chat or history)."),
            (new { channel = "#general", before = -1 }, "before must be the id of a message (as received in chat or history)."),
            (new { channel = "#general", before = 1.5 }, "before must be the id of a message (as received in chat or history)."),
            (new { channel = "#general", before = "99999999999999999999999" }, "before must be the id of a message (as received in chat or history)."),
            (new { channel = "#general", before = new { id = 1 } }, "before must be the id of a message (as received in chat or history)."),
            (new { channel = "#general", limit = 0 }, "limit must be a whole number of at least 1."),
            (new { channel = "#general", limit = -5 }, "limit must be a whole number of at least 1."),
            (new { channel = "#general", limit = 2.5 }, "limit must be a whole number of at least 1."),
            (new { channel = "#general", limit = "10" }, "limit must be a whole number of at least 1."),
            (new { channel = "#general", limit = true }, "limit must be a whole number of at least 1."),
            (new { channel = "#nowhere", limit = 10 }, "There is no such channel."),
            (new { channel = "#a\u0000b", limit = 10 }, "There is no such channel."),
        };
        foreach (var (request, reason) in malformed)
        {
            var answer = await clients.EmitWithAckAsync("ana", ChatEvents.History, request);
            Assert.False(Ok(answer), $"{JsonSerializer.Serialize(request)} was answered {answer.GetRawText()}");
            Assert.Equal(reason, Prop(answer, "reason"));
            Assert.False(answer.TryGetProperty("messages", out _));
        }

        var none = await clients.EmitWithAckAsync("ana", ChatEvents.History);
        Assert.Equal(HistoryRequest.Shape, Prop(none, "reason"));
        await clients.EmitAsync("ana", ChatEvents.History, new { channel = "#general", limit = "x" });
        await clients.WaitForReceivedAsync("ana", ChatEvents.Refused, r => Prop(r, "event") == ChatEvents.History, "a refused history without a callback");

        // Still connected and served; the other client heard of none of it.
        Assert.True(Ok(await clients.EmitWithAckAsync("ana", ChatEvents.SendMessage, "still here")));
        Assert.Equal(["still here"], Messages(await clients.EmitWithAckAsync("ana", ChatEvents.History, new { channel = "#general", limit = 10 })).Select(m => m.Text));
        await clients.WaitForReceivedAsync("ben", ChatEvents.Chat, m => Prop(m, "text") == "still here", "the message after the refusals");
        Assert.Empty(clients.Received("ben", ChatEvents.Refused));
    }

    [Fact]
    public async Task History_requests_beyond_the_burst_are_refused_until_the_bucket_refills()
    {
        await using var host = await ChatHost.StartAsync(null, "--Chat:HistoryRequestBurst=3", "--Chat:HistoryRequestsPerSecond=0.001");
        await using var clients = NodeChatClients.Start(host.BaseUri);
        await clients.ConnectAsync("ana", Rich);

        for (var i = 0; i < 3; i++)
        {
            Assert.True(Ok(await clients.EmitWithAckAsync("ana", ChatEvents.History, new { channel = "#general" })));
        }

        var refused = await clients.EmitWithAckAsync("ana", ChatEvents.History, new { channel = "#general" });
        Assert.Equal("Too many history requests; wait a moment.", Prop(refused, "reason"));
    }

    [Fact]
    public async Task After_a_restart_on_the_same_file_history_and_channels_are_still_there_and_ids_keep_increasing()
    {
        using var folder = new TempFolder();
        string lastId;
        await using (var first = await ChatHost.StartInAsync(folder.Path))
        await using (var clients = NodeChatClients.Start(first.BaseUri))
        {
            await clients.ConnectAsync("ana", Rich);
            Assert.True(Ok(await clients.EmitWithAckAsync("ana", ChatEvents.CreateChannel, "#kept")));
            Assert.True(Ok(await clients.EmitWithAckAsync("ana", ChatEvents.SendMessage, "before the restart")));
            lastId = Prop(await clients.EmitWithAckAsync("ana", ChatEvents.SendMessage, new { channel = "#kept", text = "in #kept" }), "id")!;
        }

        await using var second = await ChatHost.StartInAsync(folder.Path);
        await using var again = NodeChatClients.Start(second.BaseUri);
        await again.ConnectAsync("ana", Rich);

        Assert.Equal(["before the restart"], Messages(await again.EmitWithAckAsync("ana", ChatEvents.History, new { channel = "#general", limit = 50 })).Select(m => m.Text));
        Assert.True(Ok(await again.EmitWithAckAsync("ana", ChatEvents.JoinChannel, "#kept")));
        var kept = Assert.Single(Messages(await again.EmitWithAckAsync("ana", ChatEvents.History, new { channel = "#kept", limit = 50 })));
        Assert.Equal((lastId, "in #kept"), (kept.Id, kept.Text));
        var next = Prop(await again.EmitWithAckAsync("ana", ChatEvents.SendMessage, "after the restart"), "id")!;
        Assert.True(long.Parse(next) > long.Parse(lastId));
    }

    internal static HistoryMessage[] Messages(JsonElement answer)
    {
        Assert.True(Ok(answer), answer.GetRawText());
        Assert.Equal(["ok", "messages"], answer.EnumerateObject().Select(p => p.Name));
        return answer.GetProperty("messages").EnumerateArray().Select(m =>
        {
            Assert.Equal(["id", "channel", "username", "text", "sentAt"], m.EnumerateObject().Select(p => p.Name));
            return new HistoryMessage(m.GetProperty("id").GetString()!, m.GetProperty("channel").GetString()!, m.GetProperty("username").GetString()!, m.GetProperty("text").GetString()!, m.GetProperty("sentAt").GetInt64());
        }).ToArray();
    }
}
