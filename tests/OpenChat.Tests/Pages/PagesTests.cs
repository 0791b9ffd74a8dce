using Microsoft.AspNetCore.Mvc.Testing;

namespace OpenChat.Tests.Pages;

/// <summary>The page and the client script over HTTP, on the in-memory test server (no socket is needed).</summary>
public sealed class PagesTests(PagesAppFactory factory) : IClassFixture<PagesAppFactory>
{
    [Theory]
    [InlineData("/")]
    [InlineData("/home")]
    public async Task The_chat_page_is_served_with_a_strict_content_security_policy(string path)
    {
        using var http = factory.CreateClient();
        using var response = await http.GetAsync(path).WithTimeout();
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("default-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single());
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<script src=\"/socket.io/socket.io.js\"></script>", html);
    }

    [Fact]
    public async Task The_official_browser_client_is_served_beside_the_endpoint()
    {
        using var http = factory.CreateClient();
        using var response = await http.GetAsync("/socket.io/socket.io.js").WithTimeout();
        response.EnsureSuccessStatusCode();
        Assert.Equal("application/javascript", response.Content.Headers.ContentType?.MediaType);
        var script = await response.Content.ReadAsStringAsync();
        Assert.Contains("Socket.IO v4.8.1", script);
    }
}
