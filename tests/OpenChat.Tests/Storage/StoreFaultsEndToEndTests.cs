using Microsoft.Data.Sqlite;
using OpenChat.Chat;
using OpenChat.Tests.Infrastructure;
using static OpenChat.Tests.Chat.ChatJson;

namespace OpenChat.Tests.Storage;

/// <summary>The running app when its SQLite file stops taking writes: the sender is told, nobody else sees the message, and the chat resumes.</summary>
public sealed class StoreFaultsEndToEndTests
{
    [Fact]
    public async Task A_message_that_cannot_be_stored_is_refused_to_its_sender_with_the_reason_and_reaches_nobody()
    {
        using var folder = new TempFolder();
        await using var host = await ChatHost.StartInAsync(folder.Path, "--Storage:LockTimeout=00:00:01");
        await using var clients = NodeChatClients.Start(host.BaseUri);
        await clients.ConnectAsync("ana", new { protocol = 2, name = "Ana" });
        await clients.ConnectAsync("ben", new { protocol = 2, name = "Ben" });
        await clients.ConnectAsync("old");

        await using (await SqliteLock.HoldAsync(folder.File("openchat.db")))
        {
            var refused = await clients.EmitWithAckAsync("ana", ChatEvents.SendMessage, "lost in the lock");
            Assert.False(Ok(refused));
            Assert.Equal("Your message was not sent: the chat history is locked by another program. Try again in a moment.", Prop(refused, "reason"));

            await clients.EmitAsync("ana", ChatEvents.SendMessage, "no callback either");
            var event_ = await clients.WaitForReceivedAsync("ana", ChatEvents.Refused, r => Prop(r, "event") == ChatEvents.SendMessage, "the refusal without a callback");
            Assert.Contains("locked by another program", Prop(event_, "reason"));
        }

        Assert.True(Ok(await clients.EmitWithAckAsync("ana", ChatEvents.SendMessage, "stored again")));
        await clients.WaitForReceivedAsync("ben", ChatEvents.Chat, m => Prop(m, "text") == "stored again", "the message after the lock");
        await clients.WaitForReceivedAsync("old", ChatEvents.Message, m => Text(m) == "Ana: stored again", "the message after the lock");
        Assert.Equal(["stored again"], clients.Received("ben", ChatEvents.Chat).Select(m => Prop(m, "text")));
        Assert.Equal(["stored again"], clients.Received("ana", ChatEvents.Chat).Select(m => Prop(m, "text")));
        Assert.Equal(["Ana: stored again"], clients.Received("old", ChatEvents.Message).Select(Text));
        Assert.Equal(["stored again"], Chat.HistoryEndToEndTests.Messages(await clients.EmitWithAckAsync("ana", ChatEvents.History, new { channel = "#general" })).Select(m => m.Text));
        SqliteConnection.ClearAllPools();
    }
}
