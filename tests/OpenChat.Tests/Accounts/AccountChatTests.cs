using System.Text.Json;
using OpenChat.Chat;
using OpenChat.Tests.Accounts.Images;
using OpenChat.Tests.Infrastructure;
using static OpenChat.Tests.Chat.ChatJson;

namespace OpenChat.Tests.Accounts;

/// <summary>
/// Accounts in the chat, with the official client carrying a browser's cookie: a signed-in socket goes by
/// its account's name without <c>add_username</c> and may not take another; a guest may not take a
/// registered name in any case or compatibility form; a guest holding a name that gets registered becomes
/// Guest; a new picture reaches everyone's list and new messages; signing out ends that browser's
/// connections. Original clients notice nothing of pictures.
/// </summary>
public sealed class AccountChatTests
{
    private static readonly object Rich = new { protocol = 2 };

    [Fact]
    public async Task A_signed_in_socket_goes_by_its_account_s_name_without_add_username()
    {
        await using var host = await ChatHost.StartAsync();
        using var browser = await AvatarEndpointsTests.SignedUpAsync(host, "Ana");
        await using var clients = NodeChatClients.Start(host.BaseUri);

        // The page says it is an impostor: the cookie says who it is.
        var ana = await clients.ConnectAsync("ana", new { protocol = 2, name = "Impostor" }, cookie: browser.CookieHeader);
        await clients.ConnectAsync("classic", cookie: browser.CookieHeader);
        await clients.ConnectAsync("ben", new { protocol = 2, name = "Ben" });

        var snapshot = await clients.WaitForReceivedAsync("ben", ChatEvents.PresenceSnapshot, s => true, "its snapshot");
        Assert.Equal([(ana, "Ana"), (Users(snapshot)[1].Id, "Ana"), (Users(snapshot)[2].Id, "Ben")], Users(snapshot));
        Assert.True(Ok(await clients.EmitWithAckAsync("classic", ChatEvents.SendMessage, "from the classic page")));
        await clients.WaitForReceivedAsync("ben", ChatEvents.Chat, m => Prop(m, "text") == "from the classic page" && Prop(m, "username") == "Ana", "as Ana");
        await clients.WaitForLatestAsync("classic", ChatEvents.Usernames, l => IsList(l, "Ana", "Ana", "Ben"), "both Anas and Ben");
    }

    [Fact]
    public async Task A_signed_in_socket_may_ask_for_its_own_name_in_any_case_but_not_another()
    {
        await using var host = await ChatHost.StartAsync();
        using var browser = await AvatarEndpointsTests.SignedUpAsync(host, "Ana");
        await using var clients = NodeChatClients.Start(host.BaseUri);
        await clients.ConnectAsync("ana", Rich, cookie: browser.CookieHeader);

        var own = await clients.EmitWithAckAsync("ana", ChatEvents.AddUsername, "ANA");
        var other = await clients.EmitWithAckAsync("ana", ChatEvents.AddUsername, "Bob");

        Assert.True(Ok(own));
        Assert.Equal("Ana", Prop(own, "name"));
        Assert.False(Ok(other));
        Assert.Equal("You are signed in as Ana; sign out to chat under another name.", Prop(other, "reason"));
    }

    [Fact]
    public async Task A_guest_is_refused_a_registered_name_in_every_case_and_compatibility_form()
    {
        // Every refusal here counts against the connection's renames: room for all of them.
        await using var host = await ChatHost.StartAsync(null, "--Chat:RenameBurst=20");
        using var _ = await AvatarEndpointsTests.SignedUpAsync(host, "Ana Lee");
        await using var clients = NodeChatClients.Start(host.BaseUri);
        await clients.ConnectAsync("guest");

        foreach (var lookAlike in new[] { "Ana Lee", "ana lee", "ANA LEE", "Ａｎａ Ｌｅｅ", "𝐀𝐧𝐚 𝐋𝐞𝐞", "ana   lee", " Ana\u00A0Lee " })
        {
            var answer = await clients.EmitWithAckAsync("guest", ChatEvents.AddUsername, lookAlike);
            Assert.False(Ok(answer), lookAlike);
            Assert.Contains("is a registered name. Sign in to use it, or choose another.", Prop(answer, "reason"));
        }

        // Without an ack, the refusal comes as an event; the list never showed the name.
        await clients.EmitAsync("guest", ChatEvents.AddUsername, "ANA LEE");
        await clients.WaitForReceivedAsync("guest", ChatEvents.Refused, r => Prop(r, "event") == ChatEvents.AddUsername, "for add_username");
        Assert.True(Ok(await clients.EmitWithAckAsync("guest", ChatEvents.AddUsername, "Ana Leen")));
        Assert.DoesNotContain(clients.Received("guest", ChatEvents.Usernames), l => Strings(l)!.Any(n => InputRules.NameKey(n) == InputRules.NameKey("Ana Lee")));

        // A rich client asking for it in its CONNECT is refused with the reason.
        var refused = await clients.ConnectRefusedAsync("rich", new { protocol = 2, name = "ａｎａ ｌｅｅ" });
        Assert.Equal("“ａｎａ ｌｅｅ” is a registered name. Sign in to use it, or choose another.", Prop(refused, "message"));
    }

    [Fact]
    public async Task A_guest_going_by_a_name_that_gets_registered_becomes_guest_and_is_told_why()
    {
        await using var host = await ChatHost.StartAsync();
        await using var clients = NodeChatClients.Start(host.BaseUri);
        await clients.ConnectAsync("squatter", new { protocol = 2, name = "Zed" });
        await clients.ConnectAsync("watcher");

        using var owner = await AvatarEndpointsTests.SignedUpAsync(host, "ZED");

        var told = await clients.WaitForReceivedAsync("squatter", ChatEvents.Refused, r => Prop(r, "event") == ChatEvents.AddUsername, "a refusal");
        Assert.Equal("“Zed” has just been registered by its owner; you are Guest now.", Prop(told, "reason"));
        await clients.WaitForLatestAsync("watcher", ChatEvents.Usernames, l => IsList(l, "Guest", "Guest"), "two guests");
    }

    [Fact]
    public async Task A_new_picture_reaches_everyone_s_online_list_and_new_messages_and_original_clients_notice_nothing()
    {
        await using var host = await ChatHost.StartAsync();
        using var browser = await AvatarEndpointsTests.SignedUpAsync(host, "Ana");
        await using var clients = NodeChatClients.Start(host.BaseUri);
        var ana = await clients.ConnectAsync("ana", Rich, cookie: browser.CookieHeader);
        await clients.ConnectAsync("ben", new { protocol = 2, name = "Ben" });
        var classic = await clients.ConnectAsync("classic");

        // Once Ben hears of the classic client, its list went out too; a message sent after it arrives after it.
        await clients.WaitForReceivedAsync("ben", ChatEvents.PresenceDelta, d => d.GetProperty("joined").EnumerateArray().Any(j => Prop(j, "id") == classic), "the classic client");
        Assert.True(Ok(await clients.EmitWithAckAsync("ana", ChatEvents.SendMessage, "before")));
        await clients.WaitForReceivedAsync("classic", ChatEvents.Message, m => Text(m) == "Ana: before", "the first message");
        var listsBefore = clients.Received("classic", ChatEvents.Usernames).Count;

        var (_, uploaded) = await browser.UploadAvatarAsync(TestImages.Png(8, 8));
        var url = Prop(uploaded, "avatar")!;

        await clients.WaitForReceivedAsync("ben", ChatEvents.PresenceDelta, d => HasAvatar(d, ana, url), "Ana's picture");
        await clients.WaitForReceivedAsync("ana", ChatEvents.PresenceDelta, d => HasAvatar(d, ana, url), "her own picture");
        Assert.True(Ok(await clients.EmitWithAckAsync("ana", ChatEvents.SendMessage, "new face")));
        var message = await clients.WaitForReceivedAsync("ben", ChatEvents.Chat, m => Prop(m, "text") == "new face", "Ana's message");
        Assert.Equal(url, Prop(message, "avatar"));

        // Original clients show no pictures: the change sent them no list, and their message is as ever.
        await clients.WaitForReceivedAsync("classic", ChatEvents.Message, m => Text(m) == "Ana: new face", "the message");
        Assert.Equal(listsBefore, clients.Received("classic", ChatEvents.Usernames).Count);
        Assert.All(clients.Received("classic", ChatEvents.Message), m => Assert.Equal(JsonValueKind.String, m.ValueKind));

        // Someone arriving later sees it in the list at once.
        await clients.ConnectAsync("cy", new { protocol = 2, name = "Cy" });
        var snapshot = await clients.WaitForReceivedAsync("cy", ChatEvents.PresenceSnapshot, s => true, "its snapshot");
        Assert.Equal(url, Prop(snapshot.GetProperty("users")[0], "avatar"));
        Assert.False(snapshot.GetProperty("users")[1].TryGetProperty("avatar", out JsonElement _));

        // Back to initials: the change carries no picture.
        await browser.RemoveAvatarAsync();
        await clients.WaitForReceivedAsync("ben", ChatEvents.PresenceDelta, d => d.TryGetProperty("avatars", out var a) && a.EnumerateArray().Any(e => Prop(e, "id") == ana && !e.TryGetProperty("avatar", out JsonElement _)), "the removal");
        Assert.True(Ok(await clients.EmitWithAckAsync("ana", ChatEvents.SendMessage, "initials again")));
        var plain = await clients.WaitForReceivedAsync("ben", ChatEvents.Chat, m => Prop(m, "text") == "initials again", "Ana's message");
        Assert.False(plain.TryGetProperty("avatar", out JsonElement _));
    }

    [Fact]
    public async Task History_shows_a_signed_in_sender_s_current_picture_and_none_for_guests()
    {
        await using var host = await ChatHost.StartAsync();
        using var browser = await AvatarEndpointsTests.SignedUpAsync(host, "Ana");
        await using var clients = NodeChatClients.Start(host.BaseUri);
        await clients.ConnectAsync("ana", Rich, cookie: browser.CookieHeader);
        await clients.ConnectAsync("guest", new { protocol = 2, name = "Ana Lookalike" });
        Assert.True(Ok(await clients.EmitWithAckAsync("ana", ChatEvents.SendMessage, "before the picture")));
        Assert.True(Ok(await clients.EmitWithAckAsync("guest", ChatEvents.SendMessage, "from a guest")));

        var url = Prop((await browser.UploadAvatarAsync(TestImages.Png(6, 6))).Body, "avatar");
        var answer = await clients.EmitWithAckAsync("guest", ChatEvents.History, new { channel = "#general", limit = 10 });

        var messages = answer.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(["before the picture", "from a guest"], messages.Select(m => Prop(m, "text")));
        Assert.Equal([url, null], messages.Select(m => Prop(m, "avatar")));
    }

    [Fact]
    public async Task Signing_out_ends_that_browser_s_connections_and_no_other_s()
    {
        await using var host = await ChatHost.StartAsync();
        using var laptop = await AvatarEndpointsTests.SignedUpAsync(host, "Ana");
        using var phone = new AccountClient(host.BaseUri);
        await phone.SignInAsync("Ana", "correct horse battery");
        await using var clients = NodeChatClients.Start(host.BaseUri);
        await clients.ConnectAsync("laptop", Rich, cookie: laptop.CookieHeader);
        await clients.ConnectAsync("phone", Rich, cookie: phone.CookieHeader);

        var from = clients.Process.Lines.Count;
        await laptop.SignOutAsync();

        var ended = await clients.Process.WaitForAsync("disconnect", l => Prop(l, "client") == "laptop", from);
        Assert.Equal("io server disconnect", Prop(ended, "reason"));
        Assert.True(Ok(await clients.EmitWithAckAsync("phone", ChatEvents.SendMessage, "still here")));
    }

    [Fact]
    public async Task A_signed_in_user_s_session_id_opens_nothing_for_another_user_or_a_guest()
    {
        await using var host = await ChatHost.StartAsync();
        using var ana = await AvatarEndpointsTests.SignedUpAsync(host, "Ana");
        using var ben = await AvatarEndpointsTests.SignedUpAsync(host, "Ben");
        using var owner = new HttpClient { BaseAddress = host.BaseUri };
        owner.DefaultRequestHeaders.Add("Cookie", ana.CookieHeader);
        var open = await owner.GetStringAsync("/socket.io/?EIO=4&transport=polling").WithTimeout();
        var sid = JsonDocument.Parse(open[1..]).RootElement.GetProperty("sid").GetString();

        foreach (var cookie in new[] { ben.CookieHeader, null })
        {
            using var thief = new HttpClient { BaseAddress = host.BaseUri };
            if (cookie is not null)
            {
                thief.DefaultRequestHeaders.Add("Cookie", cookie);
            }

            using var stolen = await thief.PostAsync($"/socket.io/?EIO=4&transport=polling&sid={sid}", new StringContent("40")).WithTimeout();
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, stolen.StatusCode);
            Assert.Equal("""{"code":1,"message":"Session ID unknown"}""", await stolen.Content.ReadAsStringAsync());
        }

        using var own = await owner.PostAsync($"/socket.io/?EIO=4&transport=polling&sid={sid}", new StringContent("40")).WithTimeout();
        Assert.Equal("ok", await own.Content.ReadAsStringAsync());
    }

    private static bool HasAvatar(JsonElement delta, string id, string url) =>
        delta.TryGetProperty("avatars", out var avatars) && avatars.EnumerateArray().Any(a => Prop(a, "id") == id && Prop(a, "avatar") == url);
}
