using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using OpenChat.SocketIO;

namespace OpenChat.Pages;

/// <summary>
/// The official Socket.IO Admin UI (from the <c>@socket.io/admin-ui</c> npm package, fetched at build time) at
/// <c>/admin/</c>, when <c>SocketIO:AdminUI:Enabled</c>. Its page asks for the server's URL and connects to the
/// admin namespace of this very server. The page links two CDN stylesheets; the icon font is served from here
/// instead (the <c>@mdi/font</c> package) and the web font is left out, so the page needs nothing but its origin.
/// </summary>
public static class AdminUIPage
{
    public const string Path = "/admin";

    // Vuetify and Chart.js set inline styles; everything else comes from this origin. connect-src is this
    // origin's HTTP and WebSocket: this copy of the UI is for this server.
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; font-src 'self'; img-src 'self' data:; connect-src 'self' ws: wss:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private const string IconsFromCdn = "https://cdn.jsdelivr.net/npm/@mdi/font@latest/css/materialdesignicons.min.css";
    private const string FontsFromCdn = "<link rel=\"stylesheet\" href=\"https://fonts.googleapis.com/css?family=Roboto:100,300,400,500,700,900\">";

    public static WebApplication MapAdminUIPage(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<IOptions<SocketIOOptions>>().Value.AdminUI.Enabled)
        {
            return app;
        }

        var folder = System.IO.Path.Combine(AppContext.BaseDirectory, "client", "admin");
        var index = File.ReadAllText(System.IO.Path.Combine(folder, "index.html"))
            .Replace(FontsFromCdn, string.Empty, StringComparison.Ordinal)
            .Replace(IconsFromCdn, "mdi/css/materialdesignicons.min.css", StringComparison.Ordinal);

        IResult Index(HttpContext context)
        {
            // Routing matches /admin and /admin/ alike; the UI's assets are relative to the page, so /admin
            // without its slash would resolve them under /.
            if (context.Request.Path.Value == Path)
            {
                return Results.Redirect(Path + "/");
            }

            SetHeaders(context.Response);
            context.Response.Headers.CacheControl = "no-cache";
            return Results.Text(index, "text/html; charset=utf-8");
        }

        app.MapMethods(Path + "/", ["GET", "HEAD"], Index);
        app.MapMethods(Path + "/index.html", ["GET", "HEAD"], Index);
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(folder),
            RequestPath = Path,
            OnPrepareResponse = context =>
            {
                SetHeaders(context.Context.Response);
                context.Context.Response.Headers.CacheControl = "public, max-age=86400";
            },
        });
        return app;
    }

    private static void SetHeaders(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
    }
}
