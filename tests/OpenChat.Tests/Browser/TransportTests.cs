using System.Collections.Concurrent;
using OpenChat.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OpenChat.Tests.Browser;

[Collection(BrowserCollection.Name)]
public sealed class TransportTests(BrowserFixture browser)
{
    [Theory]
    [InlineData("?transports=polling", "polling")]
    [InlineData("?transports=websocket", "websocket")]
    [InlineData("", "websocket")]
    public async Task Chat_works_over_each_transport(string query, string expectedTransport)
    {
        await using var host = await ChatHost.StartAsync();
        var benOpening = ChatPage.OpenAsync(browser, host.BaseUri, query); // pages start faster side by side
        await using var ana = await ChatPage.OpenAsync(browser, host.BaseUri, query);
        await using var ben = await benOpening;

        // What went over the wire, independent of what the page claims.
        var pollingRequests = new ConcurrentQueue<string>();
        var webSockets = new ConcurrentQueue<string>();
        ana.Page.Request += (_, request) =>
        {
            if (request.Url.Contains("/socket.io/?", StringComparison.Ordinal) && request.Url.Contains("transport=polling", StringComparison.Ordinal))
            {
                pollingRequests.Enqueue(request.Url);
            }
        };
        ana.Page.WebSocket += (_, socket) => webSockets.Enqueue(socket.Url);

        await ana.JoinAsync("Ana");
        await ben.JoinAsync("Ben");
        await Expect(ana.Transport).ToHaveTextAsync(expectedTransport);
        await Expect(ben.Transport).ToHaveTextAsync(expectedTransport);

        await ana.SendAsync("over " + expectedTransport);
        await Expect(ben.Bubble("over " + expectedTransport)).ToHaveCountAsync(1);
        await ben.SendAsync("back over " + expectedTransport);
        await Expect(ana.Bubble("back over " + expectedTransport)).ToHaveCountAsync(1);
        await Expect(ana.UserNames).ToHaveTextAsync(["Ana", "Ben"]);

        var engineTransport = await ana.Page.EvaluateAsync<string>("() => window.openChat.socket.io.engine.transport.name");
        Assert.Equal(expectedTransport, engineTransport);
        switch (query)
        {
            case "?transports=polling":
                Assert.NotEmpty(pollingRequests);
                Assert.Empty(webSockets);
                break;
            case "?transports=websocket":
                Assert.Empty(pollingRequests);
                Assert.Single(webSockets);
                break;
            default:
                // The default handshake starts on polling and upgrades.
                Assert.NotEmpty(pollingRequests);
                Assert.Single(webSockets);
                break;
        }

        ana.AssertNoErrors();
        ben.AssertNoErrors();
    }
}
