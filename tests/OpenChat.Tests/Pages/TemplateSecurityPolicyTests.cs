using System.Security.Cryptography;
using System.Text;
using OpenChat.Pages;

namespace OpenChat.Tests.Pages;

/// <summary>The page's Content-Security-Policy, derived from the template it serves.</summary>
public sealed class TemplateSecurityPolicyTests
{
    private const string StrictPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' ws: wss:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private static string Hash(string text) => $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(text)))}'";

    private static string Directive(string policy, string name) =>
        policy.Split("; ").Single(d => d.StartsWith(name + " ", StringComparison.Ordinal));

    [Fact]
    public void OpenChats_own_page_keeps_the_strict_policy()
    {
        var html = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "templates", "home.html"));

        Assert.Equal(StrictPolicy, TemplateSecurityPolicy.For(html));
        Assert.Equal(StrictPolicy, TemplateSecurityPolicy.Strict);
    }

    [Fact]
    public void A_seed_style_page_allows_exactly_its_inline_script_its_handlers_and_its_inline_style()
    {
        var html = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Pages", "SeedPage", "home.html"));
        var scan = TemplateScanner.Scan(html);

        var policy = TemplateSecurityPolicy.For(html);

        var script = Assert.Single(scan.InlineScripts);
        Assert.StartsWith("\n    const socket = io();", script);
        Assert.Equal(["sendMessage()", "leaveChat()"], scan.EventHandlers);
        Assert.Equal($"script-src 'self' 'unsafe-hashes' {Hash(script)} {Hash("sendMessage()")} {Hash("leaveChat()")}", Directive(policy, "script-src"));
        Assert.Equal($"style-src 'self' 'unsafe-hashes' {Hash(Assert.Single(scan.InlineStyles))} {Hash("background: #e74c3c; color: #fff;")}", Directive(policy, "style-src"));
        Assert.Equal(["/socket.io/socket.io.js"], scan.ScriptSources);
    }

    [Fact]
    public void Hashes_are_of_the_text_the_browser_sees_line_endings_normalized_and_attribute_entities_decoded()
    {
        var scan = TemplateScanner.Scan("<button onclick=\"say(&quot;hi&quot;)\">x</button>\r\n<script>\r\nrun();\r\n</script>");

        Assert.Equal(["say(\"hi\")"], scan.EventHandlers);
        Assert.Equal(["\nrun();\n"], scan.InlineScripts);
    }

    [Fact]
    public void A_script_ends_at_its_first_end_tag_and_commented_out_markup_counts_for_nothing()
    {
        var scan = TemplateScanner.Scan("<!-- <script>old()</script> <b onclick=\"x()\"> --><script>var s = \"</scripty>\"; end();</SCRIPT ><p onmouseover='hover()'>");

        Assert.Equal(["var s = \"</scripty>\"; end();"], scan.InlineScripts);
        Assert.Equal(["hover()"], scan.EventHandlers);
    }

    [Fact]
    public void External_scripts_style_sheets_and_images_add_their_origins_and_same_origin_ones_add_nothing()
    {
        var policy = TemplateSecurityPolicy.For(
            "<script src=\"https://cdn.example.com/socket.io/2.5.0/socket.io.js\"></script><script src=/local.js></script>" +
            "<script src=\"//protocol.example:8443/x.js\"></script><link rel=\"stylesheet\" href=\"https://fonts.example/css\">" +
            "<link rel=icon href=\"http://icons.example/i.png\"><img src=\"https://img.example:4443/a.png\"><img src=\"/b.png\">");

        Assert.Equal("script-src 'self' https://cdn.example.com protocol.example:8443", Directive(policy, "script-src"));
        Assert.Equal("style-src 'self' https://fonts.example", Directive(policy, "style-src"));
        Assert.Equal("img-src 'self' data: http://icons.example https://img.example:4443", Directive(policy, "img-src"));
    }

    [Fact]
    public void Without_inline_handlers_no_unsafe_hashes_is_granted()
    {
        var policy = TemplateSecurityPolicy.For("<script>boot()</script>");

        Assert.Equal($"script-src 'self' {Hash("boot()")}", Directive(policy, "script-src"));
    }
}
