using OpenChat.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OpenChat.Tests.Browser;

/// <summary>
/// The "done when", in a browser: two OpenChat instances with <c>Redis:Configuration</c> on one real
/// Redis are one chat for pages on either, over WebSocket and over long-polling.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SeveralInstancesTests(BrowserFixture browser, RedisServer redis) : IClassFixture<RedisServer>, IDisposable
{
    // One store for both, as two instances on one host share the SQLite file: message ids come from it.
    private readonly TempFolder _data = new();

    [Fact]
    public async Task Pages_on_two_instances_sharing_a_redis_talk_and_see_each_other_online()
    {
        await using var first = await StartAsync();
        await using var second = await StartAsync();
        await using var ana = await ChatPage.OpenAsync(browser, first.BaseUri);
        await ana.JoinAsync("Ana");
        await using var ben = await ChatPage.OpenAsync(browser, second.BaseUri, "?transports=polling");
        await ben.JoinAsync("Ben");

        foreach (var page in new[] { ana, ben })
        {
            await Expect(page.UserNames).ToHaveTextAsync(["Ana", "Ben"]);
        }

        await Expect(ana.SystemLines).ToHaveTextAsync(["Ana joined", "Ben joined"]);
        await ana.SendAsync("Hello from the first instance");
        await Expect(ben.Bubble("Hello from the first instance")).ToHaveCountAsync(1);
        await ben.SendAsync("And back from the second");
        await Expect(ana.Bubble("And back from the second")).ToHaveCountAsync(1);
        foreach (var page in new[] { ana, ben })
        {
            await Expect(page.Messages.Locator(".text")).ToHaveTextAsync(["Hello from the first instance", "And back from the second"]);
        }

        await ben.LeaveButton.ClickAsync();
        await Expect(ana.UserNames).ToHaveTextAsync(["Ana"]);
        await Expect(ana.SystemLines).ToHaveTextAsync(["Ana joined", "Ben joined", "Ben left"]);
        ana.AssertNoErrors();
        ben.AssertNoErrors();
    }

    public void Dispose() => _data.Dispose();

    private Task<ChatHost> StartAsync() => ChatHost.StartInAsync(_data.Path, $"--Redis:Configuration={redis.Configuration}");
}
