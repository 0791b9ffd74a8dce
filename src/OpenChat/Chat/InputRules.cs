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
}
