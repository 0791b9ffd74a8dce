using Microsoft.Extensions.FileProviders;

namespace OpenChat.Pages;

/// <summary>
/// Serves the chat page, its assets and the official Socket.IO browser client; each answers HEAD as it
/// answers GET (uptime monitors and proxies probe with HEAD).
/// </summary>
public static class PageEndpoints
{
    private static readonly string[] GetOrHead = ["GET", "HEAD"];

    private static readonly string[] ClientScriptFiles = ["socket.io.js", "socket.io.min.js", "socket.io.min.js.map"];

    /// <summary>The setting that moves the templates folder away from <c>templates/</c> beside the app.</summary>
    public const string TemplatesFolderSetting = "Pages:TemplatesFolder";

    public static WebApplication MapChatPages(this WebApplication app)
    {
        var templates = Path.Combine(AppContext.BaseDirectory, app.Configuration[TemplatesFolderSetting] is { Length: > 0 } folder ? folder : "templates");
        var clientDir = Path.Combine(AppContext.BaseDirectory, "client");

        // The page's policy comes from the page itself: OpenChat's own has nothing inline and keeps the strict
        // policy; a template written for the original app (inline script, onclick handlers) gets the hashes of
        // exactly what it contains, and nothing else inline can run.
        var homePage = new TemplatePage(Path.Combine(templates, "home.html"));

        var assets = Path.Combine(templates, "static");
        if (Directory.Exists(assets))
        {
            app.UseStaticFiles(new StaticFileOptions
            {
                FileProvider = new PhysicalFileProvider(assets),
                RequestPath = "/static",
                OnPrepareResponse = context => context.Context.Response.Headers.XContentTypeOptions = "nosniff",
            });
        }

        IResult Home(HttpContext context)
        {
            var (content, policy) = homePage.Current();
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = policy;
            headers.XContentTypeOptions = "nosniff";
            headers.CacheControl = "no-cache";
            return Results.Bytes(content, "text/html; charset=utf-8");
        }

        app.MapMethods("/", GetOrHead, Home);
        app.MapMethods("/home", GetOrHead, Home);

        // As the Node server does, the client script lives beside the Socket.IO endpoint.
        foreach (var file in ClientScriptFiles)
        {
            var source = Path.Combine(clientDir, file == "socket.io.js" ? "socket.io.min.js" : file);
            var contentType = file.EndsWith(".map", StringComparison.Ordinal) ? "application/json" : "application/javascript; charset=utf-8";
            app.MapMethods("/socket.io/" + file, GetOrHead, (HttpContext context) =>
            {
                context.Response.Headers.CacheControl = "public, max-age=3600";
                return Results.File(source, contentType, enableRangeProcessing: false);
            });
        }

        return app;
    }
}
