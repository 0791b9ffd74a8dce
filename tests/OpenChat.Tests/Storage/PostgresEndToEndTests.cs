using OpenChat.Chat;
using OpenChat.Tests.Chat;
using OpenChat.Tests.Infrastructure;
using static OpenChat.Tests.Chat.ChatJson;

namespace OpenChat.Tests.Storage;

/// <summary>The app on a real PostgreSQL server: two instances share one history and one set of channels; a server that goes away refuses messages with a reason until it is back.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresEndToEndTests(PostgresServer server)
{
    [Fact]
    public async Task Two_instances_on_one_database_share_history_and_channels()
    {
        var database = await server.CreateDatabaseAsync();
        await using var a = await ChatHost.StartAsync(null, "--ConnectionStrings:Chat=" + database);
        await using var b = await ChatHost.StartAsync(null, "--ConnectionStrings:Chat=" + database);
        await using var clients = NodeChatClients.Start(a.BaseUri);
        await using var others = NodeChatClients.Start(b.BaseUri);
        await clients.ConnectAsync("ana", new { protocol = 2, name = "Ana" });
        await others.ConnectAsync("ben", new { protocol = 2, name = "Ben" });

        Assert.True(Ok(await clients.EmitWithAckAsync("ana", ChatEvents.CreateChannel, "#shared")));
        var fromA = Prop(await clients.EmitWithAckAsync("ana", ChatEvents.SendMessage, new { channel = "#shared", text = "written on a" }), "id")!;
        var fromB = Prop(await others.EmitWithAckAsync("ben", ChatEvents.SendMessage, "written on b"), "id")!;

        // b never saw #shared being created, yet lists it and lets Ben in: the database is the truth.
        var listed = await others.EmitWithAckAsync("ben", ChatEvents.Channels);
        Assert.Contains("#shared", listed.GetProperty("channels").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        Assert.True(Ok(await others.EmitWithAckAsync("ben", ChatEvents.JoinChannel, "#shared")));
        var shared = Assert.Single(HistoryEndToEndTests.Messages(await others.EmitWithAckAsync("ben", ChatEvents.History, new { channel = "#shared" })));
        Assert.Equal((fromA, "written on a", "Ana"), (shared.Id, shared.Text, shared.Username));
        var general = Assert.Single(HistoryEndToEndTests.Messages(await clients.EmitWithAckAsync("ana", ChatEvents.History, new { channel = "#general" })));
        Assert.Equal((fromB, "written on b"), (general.Id, general.Text));
        Assert.NotEqual(fromA, fromB);
    }

    [Fact]
    public async Task While_the_server_is_down_messages_are_refused_with_a_reason_the_app_is_not_ready_and_afterwards_it_stores_again()
    {
        var database = await server.CreateDatabaseAsync();
        await using var host = await ChatHost.StartAsync(null, "--ConnectionStrings:Chat=" + database, "--Storage:LockTimeout=00:00:02");
        await using var clients = NodeChatClients.Start(host.BaseUri);
        await clients.ConnectAsync("ana", new { protocol = 2, name = "Ana" });
        using var http = new HttpClient { BaseAddress = host.BaseUri };
        Assert.True(Ok(await clients.EmitWithAckAsync("ana", ChatEvents.SendMessage, "before")));

        await server.StopAsync();
        try
        {
            var refused = await clients.EmitWithAckAsync("ana", ChatEvents.SendMessage, "while down");
            Assert.Equal("Your message was not sent: the chat history cannot be reached right now.", Prop(refused, "reason"));
            var history = await clients.EmitWithAckAsync("ana", ChatEvents.History, new { channel = "#general" });
            Assert.Equal("The history cannot be read right now; try again in a moment.", Prop(history, "reason"));
            using var notReady = await http.GetAsync("/readyz").WithTimeout();
            Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
            Assert.Contains("store: Unhealthy", await notReady.Content.ReadAsStringAsync().WithTimeout());
            using var alive = await http.GetAsync("/healthz").WithTimeout();
            Assert.Equal(System.Net.HttpStatusCode.OK, alive.StatusCode);
        }
        finally
        {
            await server.StartAsync();
        }

        Assert.True(Ok(await clients.EmitWithAckAsync("ana", ChatEvents.SendMessage, "after")));
        using var ready = await http.GetAsync("/readyz").WithTimeout();
        Assert.Equal(System.Net.HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(["before", "after"], HistoryEndToEndTests.Messages(await clients.EmitWithAckAsync("ana", ChatEvents.History, new { channel = "#general" })).Select(m => m.Text));
    }
}
