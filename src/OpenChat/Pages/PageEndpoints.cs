using Microsoft.Extensions.FileProviders;

namespace OpenChat.Pages;

/// <summary>
/// Serves the chat page, its assets and the official Socket.IO browser client; each answers HEAD as it
/// answers GET (uptime monitors and proxies probe with HEAD).
/// </summary>
public static class PageEndpoints
{
    // The page needs nothing but its own origin: its scripts, styles and Socket.IO connection.
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' ws: wss:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private static readonly string[] GetOrHead = ["GET", "HEAD"];

    private static readonly string[] ClientScriptFiles = ["socket.io.js", "socket.io.min.js", "socket.io.min.js.map"];

    public static WebApplication MapChatPages(this WebApplication app)
    {
        var templates = Path.Combine(AppContext.BaseDirectory, "templates");
        var clientDir = Path.Combine(AppContext.BaseDirectory, "client");
        var homePage = Path.Combine(templates, "home.html");

        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(Path.Combine(templates, "static")),
            RequestPath = "/static",
            OnPrepareResponse = context => context.Context.Response.Headers.XContentTypeOptions = "nosniff",
        });

        IResult Home(HttpContext context)
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.CacheControl = "no-cache";
            return Results.File(homePage, "text/html; charset=utf-8");
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
