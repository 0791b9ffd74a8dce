using System.Text;

namespace OpenChat.Chat;

/// <summary>What a name or a message must look like. Refusals carry a reason the page can show.</summary>
public sealed class InputRules(ChatOptions options)
{
    public const string DefaultName = "Guest";

    /// <summary>
    /// Normalizes the name (NFC: one spelling for what looks the same) and trims it; empty becomes Guest.
    /// Null result means refused, with <paramref name="reason"/>: too long, or containing control,
    /// invisible or direction-changing characters (<see cref="NameCharacters"/>).
    /// </summary>
    public string? NormalizeName(string? raw, out string reason)
    {
        reason = string.Empty;
        var text = raw ?? string.Empty;
        if (!NameCharacters.IsWellFormed(text))
        {
            reason = "Names must be valid text.";
            return null;
        }

        var name = text.Normalize(System.Text.NormalizationForm.FormC).Trim();
        if (name.Length == 0)
        {
            return DefaultName;
        }

        if (name.Length > options.MaxNameLength)
        {
            reason = $"Names are at most {options.MaxNameLength} characters.";
            return null;
        }

        if (name.Any(char.IsControl))
        {
            reason = "Names cannot contain control characters.";
            return null;
        }

        if (NameCharacters.FirstForbidden(name) is { } invisible)
        {
            reason = $"Names cannot contain invisible or direction-changing characters (U+{invisible.Value:X4}).";
            return null;
        }

        return name;
    }

    /// <summary>Null when the message is acceptable, else the reason it is refused.</summary>
    public string? CheckMessage(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "Messages cannot be empty.";
        }

        return text.Length > options.MaxMessageLength ? $"Messages are at most {options.MaxMessageLength} characters." : null;
    }

    /// <summary>
    /// The form in which names are compared (a registered name is reserved in this form): Unicode
    /// compatibility-normalized (NFKC) and case-folded, with runs of spaces as one, so <c>Ana</c>, <c>ANA</c>,
    /// a full-width <c>Ａｎａ</c>, a mathematical bold <c>𝐀𝐧𝐚</c> and <c>Ana  </c> with two inner spaces are one
    /// name, as <c>Straße</c> and <c>STRASSE</c> are. Letters of other scripts that merely look alike (a
    /// Cyrillic а) are not folded: Unicode gives them no common form.
    /// </summary>
    public static string NameKey(string name)
    {
        var compatible = Compatible(name);

        // Full case folding: upper then lower case catches the final sigma and the title-case digraphs; the
        // foldings that change length, which invariant casing leaves alone, are spelled out.
        var folded = new StringBuilder(compatible.Length);
        var space = false;
        foreach (var c in compatible.ToUpperInvariant().ToLowerInvariant())
        {
            if (char.IsWhiteSpace(c))
            {
                space = folded.Length > 0;
                continue;
            }

            if (space)
            {
                folded.Append(' ');
                space = false;
            }

            _ = c switch
            {
                '\u00DF' => folded.Append("ss"), // ß (and ẞ, which lower-cases to it)
                '\u0130' => folded.Append("i\u0307"), // İ
                _ => folded.Append(c),
            };
        }

        return Compatible(folded.ToString());
    }

    // Text with a lone surrogate cannot be normalized; such names are refused before they are compared,
    // and here they are compared as they are rather than throwing.
    private static string Compatible(string text)
    {
        try
        {
            return text.Normalize(NormalizationForm.FormKC);
        }
        catch (ArgumentException)
        {
            return text;
        }
    }
}
