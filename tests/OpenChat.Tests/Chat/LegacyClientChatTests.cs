using OpenChat.Chat;
using OpenChat.Tests.Infrastructure;
using static OpenChat.Tests.Chat.ChatJson;

namespace OpenChat.Tests.Chat;

/// <summary>
/// Pages that load socket.io-client 2.x keep working: the app serves Engine.IO 3 (SocketIO:AllowEIO3 is on in
/// its settings), and a 2.5.0 client under Node speaks the original contract with 4.x clients over every
/// transport. Every original client gets one <c>usernames</c> on connect.
/// </summary>
public sealed class LegacyClientChatTests
{
    public static TheoryData<string> Transports => new() { "websocket", "polling", "polling,websocket" };

    [Theory]
    [MemberData(nameof(Transports))]
    public async Task A_2_x_client_and_a_4_x_client_see_each_others_names_and_messages(string transports)
    {
        await using var host = await ChatHost.StartAsync();
        await using var clients = NodeChatClients.Start(host.BaseUri);

        await clients.ConnectAsync("old", transports: transports.Split(','), version: 2);
        await clients.ConnectAsync("new");
        await clients.EmitAsync("old", ChatEvents.AddUsername, "Ana");
        await clients.WaitForLatestAsync("new", ChatEvents.Usernames, n => IsList(n, "Ana", "Guest"), "[Ana, Guest]");
        await clients.EmitAsync("new", ChatEvents.AddUsername, "Ben");
        await clients.WaitForLatestAsync("old", ChatEvents.Usernames, n => IsList(n, "Ana", "Ben"), "[Ana, Ben]");

        Assert.True(Ok(await clients.EmitWithAckAsync("old", ChatEvents.SendMessage, "hello from 2.x é€😀")));
        Assert.True(Ok(await clients.EmitWithAckAsync("new", ChatEvents.SendMessage, "hello from 4.x")));

        foreach (var client in new[] { "old", "new" })
        {
            await clients.WaitForReceivedAsync(client, ChatEvents.Message, m => Text(m) == "Ben: hello from 4.x", "Ben's message");
            Assert.Equal(["Ana: hello from 2.x é€😀", "Ben: hello from 4.x"], clients.Received(client, ChatEvents.Message).Select(Text));
        }

        await clients.DisconnectAsync("old");
        await clients.WaitForLatestAsync("new", ChatEvents.Usernames, n => IsList(n, "Ben"), "[Ben] once Ana left");
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public async Task An_original_client_gets_one_usernames_on_connect_and_never_the_same_list_twice_in_a_row(int version)
    {
        await using var host = await ChatHost.StartAsync();
        await using var clients = NodeChatClients.Start(host.BaseUri);

        // Presence updates go out one at a time and each client's packets in order: once the third client's
        // arrival reaches the first two, every earlier update has reached them too.
        await clients.ConnectAsync("a", version: version);
        await clients.ConnectAsync("b", version: version);
        await clients.ConnectAsync("c", version: version);
        foreach (var client in new[] { "a", "b", "c" })
        {
            await clients.WaitForLatestAsync(client, ChatEvents.Usernames, n => IsList(n, "Guest", "Guest", "Guest"), "three guests");
        }

        // The reference servers send a newcomer one list; the app answers at once and leaves the newcomer out
        // of the update for its own arrival, which would repeat that list.
        Assert.Equal(["Guest"], Strings(clients.Received("a", ChatEvents.Usernames)[0]) ?? []);
        Assert.Equal(["Guest", "Guest"], Strings(clients.Received("b", ChatEvents.Usernames)[0]) ?? []);
        Assert.Equal(["Guest", "Guest", "Guest"], Strings(Assert.Single(clients.Received("c", ChatEvents.Usernames))) ?? []);
        foreach (var client in new[] { "a", "b" })
        {
            var lists = clients.Received(client, ChatEvents.Usernames).Select(n => string.Join(",", Strings(n)!)).ToList();
            Assert.True(lists.Zip(lists.Skip(1)).All(pair => pair.First != pair.Second), $"{client} got the same list twice in a row: {string.Join(" | ", lists)}");
        }
    }
}
