using System.Net;
using OpenChat.Tests.Infrastructure;

namespace OpenChat.Tests.Operations;

/// <summary>The official Admin UI served at /admin/ from its npm package, and the settings that guard it.</summary>
public sealed class AdminUIPageTests
{
    [Fact]
    public async Task The_admin_page_is_not_served_while_the_admin_UI_is_off()
    {
        await using var host = await ChatHost.StartAsync();
        using var http = new HttpClient { BaseAddress = host.BaseUri };

        using var response = await http.GetAsync("/admin/").WithTimeout();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task The_admin_page_needs_nothing_but_its_own_origin()
    {
        await using var host = await ChatHost.StartAsync(null, "--SocketIO:AdminUI:Enabled=true", "--SocketIO:AdminUI:Auth=false");
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = host.BaseUri };

        using var redirect = await http.GetAsync("/admin").WithTimeout();
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.Equal("/admin/", redirect.Headers.Location?.OriginalString);

        using var page = await http.GetAsync("/admin/").WithTimeout();
        var html = await page.Content.ReadAsStringAsync().WithTimeout();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<title>Socket.IO Admin UI</title>", html);
        Assert.DoesNotContain("https://", html);
        var csp = page.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("default-src 'self'", csp);
        Assert.Contains("script-src 'self';", csp);

        foreach (var asset in new[] { "mdi/css/materialdesignicons.min.css", "favicon.png" }.Concat(LinkedAssets(html)))
        {
            using var response = await http.GetAsync("/admin/" + asset).WithTimeout();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"/admin/{asset}: {response.StatusCode}");
        }
    }

    [Theory]
    [InlineData(new[] { "--SocketIO:AdminUI:Enabled=true" }, "SocketIO:AdminUI:Auth must be set")]
    [InlineData(new[] { "--SocketIO:AdminUI:Enabled=true", "--SocketIO:AdminUI:Auth=true", "--SocketIO:AdminUI:Username=ops" }, "SocketIO:AdminUI:PasswordHash must be a bcrypt hash")]
    public async Task An_admin_UI_without_a_clear_login_setting_stops_the_app_from_starting(string[] args, string message)
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(async () => await (await ChatHost.StartAsync(null, args)).DisposeAsync());

        Assert.Contains(message, failure.Message);
    }

    private static IEnumerable<string> LinkedAssets(string html) =>
        System.Text.RegularExpressions.Regex.Matches(html, @"(?:src|href)=""((?:js|css)/[^""]+)""").Select(m => m.Groups[1].Value).Distinct();
}
