using System.Net;

namespace OpenChat.Pages;

/// <summary>
/// Reads a page template the way a browser's HTML tokenizer sees it, far enough to know what the page runs:
/// tags and their attributes (quoted or not), comments skipped, and the raw text of <c>script</c> and
/// <c>style</c> (which ends at the first matching end tag, whatever it contains). Line endings are
/// normalized to LF first, as the browser does before it hashes anything. Pure: text in, findings out.
/// </summary>
public static class TemplateScanner
{
    public static TemplateScan Scan(string html)
    {
        var text = html.ReplaceLineEndings("\n");
        var scan = new TemplateScan();
        var i = 0;
        while (i < text.Length)
        {
            var open = text.IndexOf('<', i);
            if (open < 0 || open + 1 >= text.Length)
            {
                break;
            }

            if (string.CompareOrdinal(text, open, "<!--", 0, 4) == 0)
            {
                var end = text.IndexOf("-->", open + 4, StringComparison.Ordinal);
                i = end < 0 ? text.Length : end + 3;
                continue;
            }

            if (!char.IsAsciiLetter(text[open + 1]))
            {
                // An end tag, a doctype, or a '<' in text.
                var close = text.IndexOf('>', open + 1);
                i = close < 0 ? text.Length : close + 1;
                continue;
            }

            i = ReadTag(text, open, scan);
        }

        return scan;
    }

    /// <summary>Reads the start tag at <paramref name="open"/> (and a raw text element's content); returns where scanning goes on.</summary>
    private static int ReadTag(string text, int open, TemplateScan scan)
    {
        var i = open + 1;
        var nameStart = i;
        while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not ('/' or '>'))
        {
            i++;
        }

        var tag = text[nameStart..i].ToLowerInvariant();
        var attributes = new List<(string Name, string Value)>();
        while (i < text.Length && text[i] != '>')
        {
            if (char.IsWhiteSpace(text[i]) || text[i] == '/')
            {
                i++;
                continue;
            }

            var attributeStart = i;
            while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not ('/' or '>' or '='))
            {
                i++;
            }

            var name = text[attributeStart..i].ToLowerInvariant();
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            var value = string.Empty;
            if (i < text.Length && text[i] == '=')
            {
                i++;
                while (i < text.Length && char.IsWhiteSpace(text[i]))
                {
                    i++;
                }

                (value, i) = ReadValue(text, i);
            }

            attributes.Add((name, WebUtility.HtmlDecode(value)));
        }

        var contentStart = Math.Min(i + 1, text.Length);
        Record(tag, attributes, scan);
        if (tag is not ("script" or "style" or "textarea" or "title"))
        {
            return contentStart;
        }

        var closing = FindEndTag(text, tag, contentStart);
        var content = text[contentStart..closing];
        var hasSource = attributes.Any(a => a.Name == "src");
        if (tag == "script" && !hasSource)
        {
            scan.InlineScripts.Add(content);
        }
        else if (tag == "style")
        {
            scan.InlineStyles.Add(content);
        }

        var after = text.IndexOf('>', closing);
        return after < 0 ? text.Length : after + 1;
    }

    private static (string Value, int Next) ReadValue(string text, int i)
    {
        if (i < text.Length && text[i] is '"' or '\'')
        {
            var quote = text[i];
            var end = text.IndexOf(quote, i + 1);
            return end < 0 ? (text[(i + 1)..], text.Length) : (text[(i + 1)..end], end + 1);
        }

        var start = i;
        while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] != '>')
        {
            i++;
        }

        return (text[start..i], i);
    }

    /// <summary>Where <c>&lt;/tag</c> (followed by whitespace, '/' or '>') starts, ignoring case; the end of the text if never.</summary>
    private static int FindEndTag(string text, string tag, int from)
    {
        var marker = "</" + tag;
        for (var at = text.IndexOf(marker, from, StringComparison.OrdinalIgnoreCase); at >= 0; at = text.IndexOf(marker, at + 1, StringComparison.OrdinalIgnoreCase))
        {
            var next = at + marker.Length;
            if (next >= text.Length || char.IsWhiteSpace(text[next]) || text[next] is '/' or '>')
            {
                return at;
            }
        }

        return text.Length;
    }

    private static void Record(string tag, List<(string Name, string Value)> attributes, TemplateScan scan)
    {
        foreach (var (name, value) in attributes)
        {
            if (name.Length > 2 && name.StartsWith("on", StringComparison.Ordinal))
            {
                scan.EventHandlers.Add(value);
            }
            else if (name == "style")
            {
                scan.StyleAttributes.Add(value);
            }
        }

        string? Attribute(string name) => attributes.FirstOrDefault(a => a.Name == name).Value;
        switch (tag)
        {
            case "script" when Attribute("src") is { Length: > 0 } src:
                scan.ScriptSources.Add(src);
                break;
            case "link" when Attribute("href") is { Length: > 0 } href:
                var rel = (Attribute("rel") ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (rel.Contains("stylesheet", StringComparer.OrdinalIgnoreCase))
                {
                    scan.StyleSheets.Add(href);
                }
                else if (rel.Any(r => r.Equals("icon", StringComparison.OrdinalIgnoreCase)))
                {
                    scan.Images.Add(href);
                }

                break;
            case "img" when Attribute("src") is { Length: > 0 } image:
                scan.Images.Add(image);
                break;
        }
    }
}
