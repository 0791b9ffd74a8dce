using System.Collections.Concurrent;
using OpenChat.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OpenChat.Tests.Browser;

/// <summary>Polling payloads of 1 KiB and more reach the browser gzip-compressed (the app keeps HttpCompression on).</summary>
[Collection(BrowserCollection.Name)]
public sealed class CompressionTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_long_message_reaches_a_polling_page_in_a_gzip_compressed_payload()
    {
        await using var host = await ChatHost.StartAsync();
        await using var ana = await ChatPage.OpenAsync(browser, host.BaseUri, "?transports=polling");
        await using var ben = await ChatPage.OpenAsync(browser, host.BaseUri, "?transports=polling");
        var encodings = new ConcurrentQueue<string>();
        var gzipped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        ben.Page.Response += async (_, response) =>
        {
            if (response.Url.Contains("/socket.io/?", StringComparison.Ordinal) && response.Request.Method == "GET")
            {
                var encoding = await response.HeaderValueAsync("content-encoding") ?? "identity";
                encodings.Enqueue(encoding);
                if (encoding == "gzip")
                {
                    gzipped.TrySetResult();
                }
            }
        };
        await ana.JoinAsync("Ana");
        await ben.JoinAsync("Ben");
        var text = string.Join(" ", Enumerable.Repeat("a long line of chat", 75));

        await ana.SendAsync(text);

        await Expect(ben.Bubble(text)).ToHaveCountAsync(1);

        // The page may show the message before Playwright has handed this test the response's headers.
        await gzipped.Task.WithTimeout();
        Assert.Contains("gzip", encodings);
        ben.AssertNoErrors();
    }
}
