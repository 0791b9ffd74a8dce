using System.Security.Cryptography;
using System.Text;

namespace OpenChat.Pages;

/// <summary>
/// The Content-Security-Policy for one page template, derived from what it actually contains: its own
/// origin only, plus the SHA-256 hash of each inline script and style (and, with <c>'unsafe-hashes'</c>, of
/// each inline event handler and style attribute), plus the origins of the external scripts, style sheets
/// and images it names. A template with nothing inline and nothing external, as OpenChat's own page, gets the
/// strict policy unchanged; a seed-style page with <c>onclick</c> handlers and an inline script runs, and a
/// script injected into it later does not.
/// </summary>
public static class TemplateSecurityPolicy
{
    private const string Rest = "connect-src 'self' ws: wss:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>The policy of a template with nothing inline: the page needs nothing but its own origin.</summary>
    public static readonly string Strict = For(new TemplateScan());

    public static string For(string html) => For(TemplateScanner.Scan(html));

    public static string For(TemplateScan scan)
    {
        var script = Sources(scan.ScriptSources, scan.InlineScripts, scan.EventHandlers);
        var style = Sources(scan.StyleSheets, scan.InlineStyles, scan.StyleAttributes);
        var images = string.Concat(Origins(scan.Images).Select(o => " " + o));
        return $"default-src 'self'; script-src {script}; style-src {style}; img-src 'self' data:{images}; {Rest}";
    }

    private static string Sources(IEnumerable<string> urls, IEnumerable<string> blocks, List<string> attributes)
    {
        var sources = new List<string> { "'self'" };
        sources.AddRange(Origins(urls));
        if (attributes.Count > 0)
        {
            sources.Add("'unsafe-hashes'");
        }

        sources.AddRange(blocks.Concat(attributes).Select(Hash).Distinct());
        return string.Join(' ', sources);
    }

    /// <summary>The origin of each absolute http(s) URL (a protocol-relative one keeps the page's scheme); same-origin URLs need none.</summary>
    private static IEnumerable<string> Origins(IEnumerable<string> urls)
    {
        var origins = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var url in urls.Select(u => u.Trim()))
        {
            if (url.StartsWith("//", StringComparison.Ordinal) && Uri.TryCreate("https:" + url, UriKind.Absolute, out var relative))
            {
                origins.Add(relative.IsDefaultPort ? relative.Host : relative.Authority);
            }
            else if (Uri.TryCreate(url, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https")
            {
                origins.Add(absolute.GetLeftPart(UriPartial.Authority));
            }
        }

        return origins;
    }

    private static string Hash(string content) => $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(content)))}'";
}
