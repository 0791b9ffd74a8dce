using System.Net;
using OpenChat.SocketIO.Tests.Infrastructure;

namespace OpenChat.SocketIO.Tests.EngineIO;

/// <summary>
/// A session is bound to the user who opened it: its id, should it leak, opens nothing for anyone else,
/// signed in as another user or not at all, on either transport; the public socket id never opens anything.
/// </summary>
public sealed class SessionIdentityTests
{
    [Fact]
    public async Task A_polling_session_answers_only_requests_from_the_user_who_opened_it()
    {
        await using var host = await SignedInHost.StartAsync(_ => { });
        var ana = await host.SignInAsync("Ana");
        var ben = await host.SignInAsync("Ben");
        using var owner = new PollingClient(host);
        owner.Http.DefaultRequestHeaders.Add("Cookie", ana);
        await owner.HandshakeAsync();

        foreach (var thief in new[] { ben, null })
        {
            using var stolen = new PollingClient(host);
            if (thief is not null)
            {
                stolen.Http.DefaultRequestHeaders.Add("Cookie", thief);
            }

            using var get = await stolen.Http.GetAsync(owner.SessionUrl).WithTimeout();
            await EnginePayload.AssertErrorAsync(get, HttpStatusCode.BadRequest, 1, "Session ID unknown");
            using var post = await stolen.Http.PostAsync(owner.SessionUrl, new StringContent("4hello")).WithTimeout();
            await EnginePayload.AssertErrorAsync(post, HttpStatusCode.BadRequest, 1, "Session ID unknown");
        }

        // The owner's session is untouched by the attempts: nobody can end it by replaying its id.
        await owner.SendAsync("40");
        Assert.StartsWith("40{\"sid\":", (await owner.PollPacketsAsync())[0]);
    }

    [Fact]
    public async Task A_websocket_upgrade_with_the_id_of_someone_else_s_session_is_refused()
    {
        await using var host = await SignedInHost.StartAsync(_ => { });
        var ana = await host.SignInAsync("Ana");
        var ben = await host.SignInAsync("Ben");
        using var owner = new PollingClient(host);
        owner.Http.DefaultRequestHeaders.Add("Cookie", ana);
        await owner.HandshakeAsync();
        var upgrade = host.WebSocketUrl($"EIO=4&transport=websocket&sid={owner.Sid}");

        foreach (var thief in new[] { ben, null })
        {
            var (status, socket) = await WsClient.TryConnectAsync(upgrade, o =>
            {
                if (thief is not null)
                {
                    o.SetRequestHeader("Cookie", thief);
                }
            });
            Assert.Null(socket);
            Assert.Equal(HttpStatusCode.BadRequest, status);
        }

        var (accepted, client) = await WsClient.TryConnectAsync(upgrade, o => o.SetRequestHeader("Cookie", ana));
        await using (client)
        {
            Assert.Equal(HttpStatusCode.SwitchingProtocols, accepted);
            await client!.SendTextAsync("2probe");
            Assert.Equal("3probe", await client.ReceiveTextAsync());
        }
    }

    [Fact]
    public async Task A_guest_session_is_not_opened_by_a_signed_in_request_either()
    {
        await using var host = await SignedInHost.StartAsync(_ => { });
        var ana = await host.SignInAsync("Ana");
        using var guest = new PollingClient(host);
        await guest.HandshakeAsync();

        using var signedIn = new PollingClient(host);
        signedIn.Http.DefaultRequestHeaders.Add("Cookie", ana);
        using var response = await signedIn.Http.GetAsync(guest.SessionUrl).WithTimeout();

        await EnginePayload.AssertErrorAsync(response, HttpStatusCode.BadRequest, 1, "Session ID unknown");
        await guest.SendAsync("40");
        Assert.StartsWith("40{\"sid\":", (await guest.PollPacketsAsync())[0]);
    }

    [Fact]
    public async Task The_public_socket_id_opens_nothing_even_for_the_same_user()
    {
        await using var host = await SignedInHost.StartAsync(_ => { });
        var ana = await host.SignInAsync("Ana");
        using var owner = new PollingClient(host);
        owner.Http.DefaultRequestHeaders.Add("Cookie", ana);
        await owner.HandshakeAsync();
        await owner.SendAsync("40");
        var reply = (await owner.PollPacketsAsync())[0];
        var socketId = System.Text.Json.JsonDocument.Parse(reply[2..]).RootElement.GetProperty("sid").GetString()!;
        Assert.NotEqual(owner.Sid, socketId);

        using var get = await owner.Http.GetAsync(host.Url($"EIO=4&transport=polling&sid={socketId}")).WithTimeout();
        await EnginePayload.AssertErrorAsync(get, HttpStatusCode.BadRequest, 1, "Session ID unknown");
        var (status, socket) = await WsClient.TryConnectAsync(host.WebSocketUrl($"EIO=4&transport=websocket&sid={socketId}"), o => o.SetRequestHeader("Cookie", ana));
        Assert.Null(socket);
        Assert.Equal(HttpStatusCode.BadRequest, status);
    }
}
