using OpenChat.Chat;
using OpenChat.Tests.Infrastructure;
using static OpenChat.Tests.Chat.ChatJson;

namespace OpenChat.Tests.Chat;

/// <summary>The seed page's contract, spoken by the official client exactly as the page uses it.</summary>
public sealed class OriginalContractTests
{
    private static readonly string[] RichOnlyEvents = [ChatEvents.Chat, ChatEvents.System, ChatEvents.PresenceSnapshot, ChatEvents.PresenceDelta];

    [Fact]
    public async Task Two_original_clients_see_names_and_messages_as_the_seed_page_expects()
    {
        await using var host = await ChatHost.StartAsync();
        await using var clients = NodeChatClients.Start(host.BaseUri);

        await clients.ConnectAsync("a");
        await clients.WaitForLatestAsync("a", ChatEvents.Usernames, n => IsList(n, "Guest"), "[Guest]");
        await clients.ConnectAsync("b");
        foreach (var client in new[] { "a", "b" })
        {
            await clients.WaitForLatestAsync(client, ChatEvents.Usernames, n => IsList(n, "Guest", "Guest"), "[Guest, Guest]");
        }

        // As the page does: socket.emit('add_username', name) without a callback.
        await clients.EmitAsync("a", ChatEvents.AddUsername, "Ana");
        foreach (var client in new[] { "a", "b" })
        {
            await clients.WaitForLatestAsync(client, ChatEvents.Usernames, n => IsList(n, "Ana", "Guest"), "[Ana, Guest]");
        }

        await clients.EmitAsync("a", ChatEvents.SendMessage, "hello");

        // A later message from the same sender arrives after any copy of the first.
        await clients.EmitAsync("a", ChatEvents.SendMessage, "bye");
        foreach (var client in new[] { "a", "b" })
        {
            await clients.WaitForReceivedAsync(client, ChatEvents.Message, m => Text(m) == "Ana: bye", "\"Ana: bye\"");
            Assert.Equal(["Ana: hello", "Ana: bye"], clients.Received(client, ChatEvents.Message).Select(Text));
            Assert.DoesNotContain(clients.AllReceived(client), e => RichOnlyEvents.Contains(e.Name) || e.Name == ChatEvents.Refused);
        }

        await clients.DisconnectAsync("a");
        await clients.WaitForLatestAsync("b", ChatEvents.Usernames, n => IsList(n, "Guest"), "[Guest] once Ana left");
        Assert.Equal(["Guest"], host.Get<UserDirectory>().Names());
    }

    [Fact]
    public async Task Each_client_gets_each_message_once_in_the_form_it_understands()
    {
        await using var host = await ChatHost.StartAsync();
        await using var clients = NodeChatClients.Start(host.BaseUri);
        var oldId = await clients.ConnectAsync("old");
        var richId = await clients.ConnectAsync("rich", new { protocol = 2, name = "Bea" });

        Assert.True(Ok(await clients.EmitWithAckAsync("rich", ChatEvents.SendMessage, "hi from Bea")));
        Assert.True(Ok(await clients.EmitWithAckAsync("old", ChatEvents.SendMessage, "hi from Guest")));

        // Both messages reached both clients before the last one (same sender order).
        Assert.True(Ok(await clients.EmitWithAckAsync("old", ChatEvents.SendMessage, "last")));
        await clients.WaitForReceivedAsync("old", ChatEvents.Message, m => Text(m) == "Guest: last", "\"Guest: last\"");
        await clients.WaitForReceivedAsync("rich", ChatEvents.Chat, m => Prop(m, "text") == "last", "the last chat");

        Assert.Equal(["Bea: hi from Bea", "Guest: hi from Guest", "Guest: last"], clients.Received("old", ChatEvents.Message).Select(Text));
        Assert.DoesNotContain(clients.AllReceived("old"), e => RichOnlyEvents.Contains(e.Name));

        var chats = clients.Received("rich", ChatEvents.Chat);
        Assert.Equal(["hi from Bea", "hi from Guest", "last"], chats.Select(c => Prop(c, "text")));
        Assert.Equal(["Bea", "Guest", "Guest"], chats.Select(c => Prop(c, "username")));
        Assert.Equal([richId, oldId, oldId], chats.Select(c => Prop(c, "senderId")));
        Assert.Equal(3, chats.Select(c => Prop(c, "id")).Where(id => !string.IsNullOrEmpty(id)).Distinct().Count());
        Assert.All(chats, c => Assert.True(c.GetProperty("sentAt").GetInt64() > 0));
        Assert.DoesNotContain(clients.AllReceived("rich"), e => e.Name is ChatEvents.Message or ChatEvents.Usernames);
    }
}
