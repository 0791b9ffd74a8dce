using System.Text.RegularExpressions;

namespace OpenChat.Tests.Infrastructure;

/// <summary>
/// Code blocks of README.md between <c>&lt;!-- snippet:name --&gt;</c> and <c>&lt;!-- /snippet:name --&gt;</c>, so
/// tests run what the documentation shows and the two cannot drift apart.
/// </summary>
public static partial class ReadmeSnippet
{
    /// <summary>The fenced code between the markers named <paramref name="name"/>, without the fence lines.</summary>
    public static string Get(string name)
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "README.md")).ReplaceLineEndings("\n");
        var open = $"<!-- snippet:{name} -->";
        var close = $"<!-- /snippet:{name} -->";
        var start = readme.IndexOf(open, StringComparison.Ordinal);
        var end = readme.IndexOf(close, StringComparison.Ordinal);
        if (start < 0 || end < start)
        {
            throw new InvalidOperationException($"README.md has no snippet between \"{open}\" and \"{close}\".");
        }

        var match = FencedCode().Match(readme[(start + open.Length)..end]);
        return match.Success
            ? match.Groups["code"].Value
            : throw new InvalidOperationException($"The README snippet \"{name}\" is not one fenced code block.");
    }

    /// <summary>
    /// Replaces each text by its test value, failing when one is missing: a README edit that moves a port or a
    /// path must fail here rather than leave the test running something other than the documentation.
    /// </summary>
    public static string Substitute(string snippet, params (string Text, string With)[] replacements)
    {
        foreach (var (text, with) in replacements)
        {
            if (!snippet.Contains(text, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"The README snippet no longer contains \"{text}\":\n{snippet}");
            }

            snippet = snippet.Replace(text, with, StringComparison.Ordinal);
        }

        return snippet;
    }

    /// <summary>One brace-delimited block of an nginx configuration, from the line starting with <paramref name="opening"/>.</summary>
    public static string NginxBlock(string config, string opening)
    {
        var start = config.IndexOf(opening, StringComparison.Ordinal);
        if (start < 0)
        {
            throw new InvalidOperationException($"No \"{opening}\" block in:\n{config}");
        }

        var depth = 0;
        for (var i = config.IndexOf('{', start); i >= 0 && i < config.Length; i++)
        {
            depth += config[i] switch { '{' => 1, '}' => -1, _ => 0 };
            if (depth == 0)
            {
                return config[start..(i + 1)];
            }
        }

        throw new InvalidOperationException($"The \"{opening}\" block is not closed in:\n{config}");
    }

    /// <summary>The <c>Environment=NAME=value</c> lines of a systemd unit.</summary>
    public static Dictionary<string, string> SystemdEnvironment(string unit) =>
        unit.Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.StartsWith("Environment=", StringComparison.Ordinal))
            .Select(line => line["Environment=".Length..].Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);

    [GeneratedRegex(@"^```[a-z]*\n(?<code>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex FencedCode();
}
