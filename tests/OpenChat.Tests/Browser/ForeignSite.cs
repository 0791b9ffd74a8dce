using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace OpenChat.Tests.Browser;

/// <summary>
/// Another web site on loopback, for pages that reach the app from a foreign origin: it serves one page at
/// <c>/</c> and a client script at <c>/js/socket.io.js</c>. Browsers see it as <c>http://localhost:port</c>, a
/// different origin than the app's <c>http://127.0.0.1:port</c>, in the same (loopback) address space.
/// </summary>
public sealed class ForeignSite : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ForeignSite(WebApplication app, int port)
    {
        _app = app;
        Origin = $"http://localhost:{port}";
    }

    public string Origin { get; }

    /// <summary>The HTML served at <c>/</c>.</summary>
    public string Page { get; set; } = "<!DOCTYPE html><title>empty</title>";

    public static async Task<ForeignSite> StartAsync(string clientScript)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        ForeignSite? site = null;
        app.MapGet("/", () => Results.Content(site!.Page, "text/html; charset=utf-8"));
        app.MapGet("/js/socket.io.js", () => Results.File(clientScript, "application/javascript"));
        await app.StartAsync();
        site = new ForeignSite(app, new Uri(app.Urls.First()).Port);
        return site;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
