namespace OpenChat.Pages;

/// <summary>
/// What a page template asks the browser to run and load, as <see cref="TemplateScanner"/> read it: the
/// text of inline scripts and styles, inline event handlers and style attributes (decoded, as the browser
/// hashes them), and the URLs of external scripts, style sheets and images.
/// </summary>
public sealed class TemplateScan
{
    public List<string> InlineScripts { get; } = new();

    public List<string> EventHandlers { get; } = new();

    public List<string> InlineStyles { get; } = new();

    public List<string> StyleAttributes { get; } = new();

    public List<string> ScriptSources { get; } = new();

    public List<string> StyleSheets { get; } = new();

    public List<string> Images { get; } = new();
}
