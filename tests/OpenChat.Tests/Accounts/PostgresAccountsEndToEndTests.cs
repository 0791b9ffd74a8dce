using System.Net;
using OpenChat.Chat;
using OpenChat.Tests.Accounts.Images;
using OpenChat.Tests.Infrastructure;
using OpenChat.Tests.Storage;
using static OpenChat.Tests.Chat.ChatJson;

namespace OpenChat.Tests.Accounts;

/// <summary>
/// Two instances of the app on one real PostgreSQL database: an account made on one signs in on the other,
/// a cookie one sets is read by the other (the keys are in the database), a picture one stores the other
/// serves, and a name registered on one is reserved on the other.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresAccountsEndToEndTests(PostgresServer server)
{
    [Fact]
    public async Task Two_instances_on_one_database_share_accounts_cookies_and_pictures()
    {
        var database = await server.CreateDatabaseAsync();
        await using var a = await ChatHost.StartAsync(null, "--ConnectionStrings:Chat=" + database);
        await using var b = await ChatHost.StartAsync(null, "--ConnectionStrings:Chat=" + database);
        using var onA = await AvatarEndpointsTests.SignedUpAsync(a, "Ana");
        var url = Prop((await onA.UploadAvatarAsync(TestImages.Png(5, 5))).Body, "avatar");

        // The cookie A set, sent to B.
        using var http = new HttpClient { BaseAddress = b.BaseUri };
        http.DefaultRequestHeaders.Add("Cookie", onA.CookieHeader);
        var state = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync("/account").WithTimeout()).RootElement;
        Assert.Equal(("Ana", url), (Prop(state, "name"), Prop(state, "avatar")));
        using var picture = await http.GetAsync(url).WithTimeout();
        Assert.Equal("image/png", picture.Content.Headers.ContentType?.ToString());

        // Signing in on B with the password chosen on A, and the name reserved there.
        using var onB = new AccountClient(b.BaseUri);
        Assert.Equal(HttpStatusCode.OK, (await onB.SignInAsync("ANA", "correct horse battery")).Status);
        await using var clients = NodeChatClients.Start(b.BaseUri);
        await clients.ConnectAsync("guest");
        var refused = await clients.EmitWithAckAsync("guest", ChatEvents.AddUsername, "ana");
        Assert.Equal("“ana” is a registered name. Sign in to use it, or choose another.", Prop(refused, "reason"));
    }
}
