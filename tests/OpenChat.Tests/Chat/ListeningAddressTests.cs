using System.Globalization;
using OpenChat.Tests.Infrastructure;

namespace OpenChat.Tests.Chat;

/// <summary>The built app started as a hosting platform starts it: PORT from the environment.</summary>
public sealed class ListeningAddressTests
{
    [Fact]
    public async Task The_app_listens_on_PORT_and_says_so()
    {
        var port = OpenChatProcess.FreePort();
        await using var app = OpenChatProcess.Start(new Dictionary<string, string> { ["PORT"] = Text(port) });

        var line = await app.WaitForLineAsync("OpenChat is listening on");
        Assert.Contains($":{port}", line);

        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/")).WithTimeout();
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<script src=\"/socket.io/socket.io.js\"></script>", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ASPNETCORE_URLS_wins_over_PORT()
    {
        var ignored = OpenChatProcess.FreePort();
        var port = OpenChatProcess.FreePort();
        await using var app = OpenChatProcess.Start(new Dictionary<string, string>
        {
            ["PORT"] = Text(ignored),
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
        });

        var line = await app.WaitForLineAsync("OpenChat is listening on");
        Assert.Contains($"http://127.0.0.1:{port}", line);

        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/")).WithTimeout();
        response.EnsureSuccessStatusCode();
        Assert.DoesNotContain(app.Stdout, l => l.Contains($":{ignored}", StringComparison.Ordinal));
    }

    private static string Text(int port) => port.ToString(CultureInfo.InvariantCulture);
}
