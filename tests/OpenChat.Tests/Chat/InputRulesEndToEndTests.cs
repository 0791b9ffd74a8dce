using System.Text.Json;
using OpenChat.Chat;
using OpenChat.Tests.Infrastructure;
using static OpenChat.Tests.Chat.ChatJson;

namespace OpenChat.Tests.Chat;

/// <summary>What names and messages the server takes, and who hears about the ones it refuses.</summary>
public sealed class InputRulesEndToEndTests
{
    public static readonly TheoryData<string, string> NotStrings = new()
    {
        { ChatEvents.AddUsername, "number" },
        { ChatEvents.AddUsername, "object" },
        { ChatEvents.AddUsername, "null" },
        { ChatEvents.AddUsername, "missing" },
        { ChatEvents.SendMessage, "number" },
        { ChatEvents.SendMessage, "object" },
        { ChatEvents.SendMessage, "null" },
        { ChatEvents.SendMessage, "missing" },
    };

    [Fact]
    public async Task A_name_that_would_read_backwards_or_look_empty_is_refused_to_its_sender_and_nobody_sees_it()
    {
        await using var host = await ChatHost.StartAsync();
        await using var clients = NodeChatClients.Start(host.BaseUri);
        await clients.ConnectAsync("a");
        await clients.ConnectAsync("b");

        var reversed = await clients.EmitWithAckAsync("a", ChatEvents.AddUsername, "Ana\u202Egnp.exe");
        var invisible = await clients.EmitWithAckAsync("a", ChatEvents.AddUsername, "\u200B\u200B");
        var composed = await clients.EmitWithAckAsync("a", ChatEvents.AddUsername, "Jose\u0301");

        Assert.False(Ok(reversed));
        Assert.Contains("U+202E", Prop(reversed, "reason"));
        Assert.False(Ok(invisible));
        Assert.Equal("Jos\u00E9", Prop(composed, "name"));
        await clients.WaitForLatestAsync("b", ChatEvents.Usernames, n => IsList(n, "Jos\u00E9", "Guest"), "[José, Guest]");
    }

    [Fact]
    public async Task Names_are_trimmed_and_limited_and_refusals_reach_only_the_sender()
    {
        // This test renames more often than a person would.
        await using var host = await ChatHost.StartAsync(null, "--Chat:RenameBurst=100");
        await using var clients = NodeChatClients.Start(host.BaseUri);
        await clients.ConnectAsync("a");
        await clients.ConnectAsync("b");

        var trimmed = await clients.EmitWithAckAsync("a", ChatEvents.AddUsername, "  Ana  ");
        Assert.True(Ok(trimmed));
        Assert.Equal("Ana", Prop(trimmed, "name"));
        await clients.WaitForLatestAsync("b", ChatEvents.Usernames, n => IsList(n, "Ana", "Guest"), "[Ana, Guest]");

        var longest = new string('n', 32);
        Assert.True(Ok(await clients.EmitWithAckAsync("a", ChatEvents.AddUsername, longest)));
        await AssertRefusedAsync(clients, "a", ChatEvents.AddUsername, new string('n', 33), "32");
        await AssertRefusedAsync(clients, "a", ChatEvents.AddUsername, "A\u0007na", null);
        await AssertRefusedAsync(clients, "a", ChatEvents.AddUsername, "Ana\nBea", null);

        // Without a callback the refusal comes as a "refused" event, to the sender alone.
        await clients.EmitAsync("a", ChatEvents.AddUsername, new string('x', 40));
        var refused = await clients.WaitForReceivedAsync("a", ChatEvents.Refused, r => Prop(r, "event") == ChatEvents.AddUsername, "for add_username");
        Assert.Contains("32", Prop(refused, "reason"));

        await clients.WaitForLatestAsync("b", ChatEvents.Usernames, n => IsList(n, longest, "Guest"), "[32 n, Guest]");

        var blank = await clients.EmitWithAckAsync("a", ChatEvents.AddUsername, "   ");
        Assert.Equal(InputRules.DefaultName, Prop(blank, "name"));

        // Two users may share a name.
        Assert.True(Ok(await clients.EmitWithAckAsync("a", ChatEvents.AddUsername, "Sam")));
        Assert.True(Ok(await clients.EmitWithAckAsync("b", ChatEvents.AddUsername, "Sam")));
        foreach (var client in new[] { "a", "b" })
        {
            await clients.WaitForLatestAsync(client, ChatEvents.Usernames, n => IsList(n, "Sam", "Sam"), "[Sam, Sam]");
        }

        Assert.Empty(clients.Received("b", ChatEvents.Refused));
        var seenByB = clients.Received("b", ChatEvents.Usernames).SelectMany(n => Strings(n) ?? []).ToList();
        Assert.DoesNotContain(seenByB, n => n.Length > 32 || n.Any(char.IsControl));
        Assert.Equal(["Sam", "Sam"], host.Get<UserDirectory>().Names());
    }

    [Fact]
    public async Task Messages_are_limited_and_refusals_reach_only_the_sender()
    {
        await using var host = await ChatHost.StartAsync();
        await using var clients = NodeChatClients.Start(host.BaseUri);
        await clients.ConnectAsync("a");
        await clients.ConnectAsync("b");
        await clients.ConnectAsync("rich", new { protocol = 2, name = "Rio" });

        var longest = new string('m', 2000);
        Assert.True(Ok(await clients.EmitWithAckAsync("a", ChatEvents.SendMessage, longest)));
        await AssertRefusedAsync(clients, "a", ChatEvents.SendMessage, new string('m', 2001), "2000");
        await AssertRefusedAsync(clients, "a", ChatEvents.SendMessage, string.Empty, null);

        await clients.EmitAsync("a", ChatEvents.SendMessage, new string('m', 2001));
        var refused = await clients.WaitForReceivedAsync("a", ChatEvents.Refused, r => Prop(r, "event") == ChatEvents.SendMessage, "for my_mssg");
        Assert.Contains("2000", Prop(refused, "reason"));

        await clients.EmitAsync("rich", ChatEvents.SendMessage, string.Empty);
        await clients.WaitForReceivedAsync("rich", ChatEvents.Refused, r => Prop(r, "event") == ChatEvents.SendMessage, "for an empty my_mssg");

        // Everything above was handled before this one is: it marks the end of what b can receive.
        Assert.True(Ok(await clients.EmitWithAckAsync("a", ChatEvents.SendMessage, "x")));
        await clients.WaitForReceivedAsync("b", ChatEvents.Message, m => Text(m) == "Guest: x", "\"Guest: x\"");
        await clients.WaitForReceivedAsync("rich", ChatEvents.Chat, m => Prop(m, "text") == "x", "the chat \"x\"");

        foreach (var client in new[] { "a", "b" })
        {
            Assert.Equal(["Guest: " + longest, "Guest: x"], clients.Received(client, ChatEvents.Message).Select(Text));
        }

        Assert.Equal([longest, "x"], clients.Received("rich", ChatEvents.Chat).Select(c => Prop(c, "text")));
        Assert.Empty(clients.Received("b", ChatEvents.Refused));
        Assert.Single(clients.Received("rich", ChatEvents.Refused));
        Assert.Single(clients.Received("a", ChatEvents.Refused));
    }

    [Theory]
    [MemberData(nameof(NotStrings))]
    public async Task Arguments_that_are_not_strings_are_refused_with_a_reason(string eventName, string shape)
    {
        await using var host = await ChatHost.StartAsync();
        await using var clients = NodeChatClients.Start(host.BaseUri);
        await clients.ConnectAsync("a");
        await clients.ConnectAsync("b");
        object?[] args = shape switch
        {
            "number" => [42],
            "object" => [new { name = "Ana", text = "hi" }],
            "null" => [null],
            _ => [],
        };

        var ack = await clients.EmitWithAckAsync("a", eventName, args);
        Assert.False(Ok(ack));
        Assert.False(string.IsNullOrWhiteSpace(Prop(ack, "reason")));

        await clients.EmitAsync("a", eventName, args);
        await clients.WaitForReceivedAsync("a", ChatEvents.Refused, r => Prop(r, "event") == eventName, "for " + eventName);

        Assert.True(Ok(await clients.EmitWithAckAsync("a", ChatEvents.SendMessage, "after")));
        await clients.WaitForReceivedAsync("b", ChatEvents.Message, m => Text(m) == "Guest: after", "\"Guest: after\"");
        Assert.Equal(["Guest: after"], clients.Received("b", ChatEvents.Message).Select(Text));
        Assert.Empty(clients.Received("b", ChatEvents.Refused));
        Assert.Equal([InputRules.DefaultName, InputRules.DefaultName], host.Get<UserDirectory>().Names());
    }

    [Fact]
    public async Task The_name_limit_can_be_changed_through_configuration()
    {
        await using var host = await ChatHost.StartAsync(null, "--Chat:MaxNameLength=5");
        await using var clients = NodeChatClients.Start(host.BaseUri);
        await clients.ConnectAsync("a");

        Assert.Equal("abcde", Prop(await clients.EmitWithAckAsync("a", ChatEvents.AddUsername, "abcde"), "name"));
        await AssertRefusedAsync(clients, "a", ChatEvents.AddUsername, "abcdef", "5");
        Assert.Equal(["abcde"], host.Get<UserDirectory>().Names());
    }

    private static async Task AssertRefusedAsync(NodeChatClients clients, string client, string eventName, string argument, string? reasonMentions)
    {
        var ack = await clients.EmitWithAckAsync(client, eventName, argument);
        Assert.False(Ok(ack), $"{eventName}({JsonSerializer.Serialize(argument)}) was accepted: {ack.GetRawText()}");
        var reason = Prop(ack, "reason");
        Assert.False(string.IsNullOrWhiteSpace(reason));
        if (reasonMentions is not null)
        {
            Assert.Contains(reasonMentions, reason);
        }
    }
}
