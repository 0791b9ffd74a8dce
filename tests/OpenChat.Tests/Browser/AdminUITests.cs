using Microsoft.Playwright;
using OpenChat.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace OpenChat.Tests.Browser;

/// <summary>
/// The official Socket.IO Admin UI, served by the app at /admin/, in Chromium: an operator logs in through
/// the UI's own connection form and sees the chat's sockets. With OPENCHAT_SCREENSHOT_DIR set, the test saves
/// the picture the README shows (admin-ui.png).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AdminUITests(BrowserFixture browser)
{
    private const string Password = "a long admin password";

    [Fact]
    public async Task An_operator_logs_in_to_the_admin_UI_and_sees_the_connected_chat_sockets()
    {
        var hash = BCrypt.Net.BCrypt.HashPassword(Password, 4);
        await using var host = await ChatHost.StartAsync(
            null,
            "--SocketIO:AdminUI:Enabled=true",
            "--SocketIO:AdminUI:Auth=true",
            "--SocketIO:AdminUI:Username=ops",
            "--SocketIO:AdminUI:PasswordHash=" + hash);
        await using var ana = await ChatPage.OpenAsync(browser, host.BaseUri);
        await ana.JoinAsync("Ana");
        await using var ben = await ChatPage.OpenAsync(browser, host.BaseUri);
        await ben.JoinAsync("Ben");
        var anaId = await ana.Page.EvaluateAsync<string>("() => window.openChat.socket.id");
        var benId = await ben.Page.EvaluateAsync<string>("() => window.openChat.socket.id");

        await using var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1200, Height = 640 } });
        var admin = await context.NewPageAsync();
        var errors = new List<string>();
        admin.PageError += (_, error) => errors.Add(error);
        admin.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add(message.Text);
            }
        };
        await admin.GotoAsync(new Uri(host.BaseUri, "admin/#/sockets/").ToString());

        // Wrong password first: the UI keeps its form up and says why.
        await LogInAsync(admin, host.BaseUri, "not the password");
        await Expect(admin.GetByText("Invalid credentials")).ToBeVisibleAsync();

        await LogInAsync(admin, host.BaseUri, Password);
        var table = admin.Locator("table");
        await Expect(table).ToContainTextAsync(anaId);
        await Expect(table).ToContainTextAsync(benId);
        await Expect(table).ToContainTextAsync("WebSocket");
        await Expect(admin.GetByLabel("Server URL")).ToBeHiddenAsync();

        if (Environment.GetEnvironmentVariable("OPENCHAT_SCREENSHOT_DIR") is { Length: > 0 } folder)
        {
            await admin.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, "admin-ui.png") });
        }

        Assert.Empty(errors);
    }

    private static async Task LogInAsync(IPage admin, Uri server, string password)
    {
        await admin.GetByLabel("Server URL").FillAsync(server.ToString().TrimEnd('/'));
        await admin.GetByLabel("Username").FillAsync("ops");
        await admin.GetByLabel("Password").FillAsync(password);
        await admin.GetByRole(AriaRole.Button, new() { Name = "Connect" }).ClickAsync();
    }
}
