using OpenChat.Chat;
using OpenChat.Tests.Chat;
using OpenChat.Tests.Infrastructure;
using static OpenChat.Tests.Chat.ChatJson;

namespace OpenChat.Tests.Storage;

/// <summary>With Storage:Enabled=false nothing touches the disk, yet channels and recent history work until the app stops.</summary>
public sealed class MemoryChatStoreEndToEndTests
{
    [Fact]
    public async Task Without_storage_no_file_is_made_and_channels_and_recent_history_work_in_memory()
    {
        using var folder = new TempFolder();
        await using var host = await ChatHost.StartAsync(null, "--Storage:Enabled=false", "--Storage:DataFolder=" + folder.Path, "--Storage:MemoryMessagesPerChannel=3");
        await using var clients = NodeChatClients.Start(host.BaseUri);
        await clients.ConnectAsync("ana", new { protocol = 2, name = "Ana" });

        var ids = new List<long>();
        foreach (var text in new[] { "one", "two", "three", "four" })
        {
            ids.Add(long.Parse(Prop(await clients.EmitWithAckAsync("ana", ChatEvents.SendMessage, text), "id")!));
        }

        Assert.True(Ok(await clients.EmitWithAckAsync("ana", ChatEvents.CreateChannel, "#ephemeral")));
        Assert.Equal(["two", "three", "four"], HistoryEndToEndTests.Messages(await clients.EmitWithAckAsync("ana", ChatEvents.History, new { channel = "#general" })).Select(m => m.Text));
        Assert.Equal(ids.Order(), ids);

        // Ids start from the clock, so a restarted server's ids are above the ones a page kept.
        Assert.True(ids[0] > DateTimeOffset.UtcNow.AddDays(-1).ToUnixTimeMilliseconds() * 1000);
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder.Path));
    }
}
