using System.Text.Json;
using OpenChat.Chat;
using OpenChat.Tests.Accounts;
using OpenChat.Tests.Accounts.Images;
using OpenChat.Tests.Infrastructure;
using static OpenChat.Tests.Chat.ChatJson;

namespace OpenChat.Tests.Cluster;

/// <summary>
/// Accounts across two instances on one Redis and one store: a cookie set by one is read by the other, a
/// picture uploaded on one shows on the other's lists and messages, a name registered on one frees it from
/// guests on the other, and signing out on one ends that browser's connections on both.
/// </summary>
public sealed class ClusterAccountTests(RedisServer redis) : IClassFixture<RedisServer>, IDisposable
{
    private readonly TempFolder _data = new();

    [Fact]
    public async Task A_picture_uploaded_on_one_instance_shows_on_the_other_and_a_sign_out_ends_both_connections()
    {
        await using var a = await StartAsync();
        await using var b = await StartAsync();
        using var browser = await AvatarEndpointsTests.SignedUpAsync(a, "Ana");
        await using var clients = NodeChatClients.Start(a.BaseUri);
        var anaOnA = await clients.ConnectAsync("ana-a", new { protocol = 2 }, ["websocket"], a.BaseUri, browser.CookieHeader);
        var anaOnB = await clients.ConnectAsync("ana-b", new { protocol = 2 }, ["websocket"], b.BaseUri, browser.CookieHeader);
        await clients.ConnectAsync("ben", new { protocol = 2, name = "Ben" }, ["websocket"], b.BaseUri);
        await clients.Process.WaitUntilAsync(
            _ => clients.AllReceived("ben").Any(e => e.Name is ChatEvents.PresenceSnapshot or ChatEvents.PresenceDelta && e.Argument.GetRawText().Contains(anaOnA, StringComparison.Ordinal)),
            "Ben to hear of Ana's connection on the other instance");

        // The upload goes to B; the connection on A belongs to A, which hears of it and tells everyone.
        using var viaB = new AccountClient(b.BaseUri);
        viaB.Cookies.Add(b.BaseUri, browser.Cookies.GetCookies(a.BaseUri));
        var (_, uploaded) = await viaB.UploadAvatarAsync(TestImages.Png(8, 8));
        var url = Prop(uploaded, "avatar")!;

        await clients.WaitForReceivedAsync("ben", ChatEvents.PresenceDelta, d => HasAvatar(d, anaOnA, url), "the picture of Ana's connection on A");
        await clients.WaitForReceivedAsync("ben", ChatEvents.PresenceDelta, d => HasAvatar(d, anaOnB, url), "the picture of Ana's connection on B");
        Assert.True(Ok(await clients.EmitWithAckAsync("ana-a", ChatEvents.SendMessage, "from A with a face")));
        var message = await clients.WaitForReceivedAsync("ben", ChatEvents.Chat, m => Prop(m, "text") == "from A with a face", "Ana's message");
        Assert.Equal(url, Prop(message, "avatar"));
        Assert.Equal("Ana", Prop(message, "username"));

        // Signing out on A ends this browser's connections on A and on B.
        var from = clients.Process.Lines.Count;
        await browser.SignOutAsync();
        foreach (var connection in new[] { "ana-a", "ana-b" })
        {
            var ended = await clients.Process.WaitForAsync("disconnect", l => Prop(l, "client") == connection, from);
            Assert.Equal("io server disconnect", Prop(ended, "reason"));
        }
    }

    [Fact]
    public async Task A_name_registered_on_one_instance_is_reserved_on_the_other_and_freed_from_its_guests()
    {
        await using var a = await StartAsync();
        await using var b = await StartAsync();
        await using var clients = NodeChatClients.Start(b.BaseUri);
        await clients.ConnectAsync("squatter", new { protocol = 2, name = "Zed" }, ["websocket"], b.BaseUri);

        using var owner = await AvatarEndpointsTests.SignedUpAsync(a, "ZED");

        var told = await clients.WaitForReceivedAsync("squatter", ChatEvents.Refused, r => Prop(r, "event") == ChatEvents.AddUsername, "that its name was registered");
        Assert.Contains("has just been registered", Prop(told, "reason"));
        var refused = await clients.ConnectRefusedAsync("late", new { protocol = 2, name = "zed" });
        Assert.Contains("is a registered name", Prop(refused, "message"));
    }

    public void Dispose() => _data.Dispose();

    private Task<ChatHost> StartAsync() => ChatHost.StartInAsync(
        _data.Path,
        $"--Redis:Configuration={redis.Configuration}",
        "--Redis:HeartbeatInterval=00:00:00.200",
        "--Redis:HeartbeatTimeout=00:00:01",
        "--Chat:PresenceWindow=00:00:00.050");

    private static bool HasAvatar(JsonElement delta, string id, string url) =>
        delta.TryGetProperty("avatars", out var avatars) && avatars.EnumerateArray().Any(e => Prop(e, "id") == id && Prop(e, "avatar") == url);
}
