namespace OpenChat.Chat;

/// <summary>What a name or a message must look like. Refusals carry a reason the page can show.</summary>
public sealed class InputRules(ChatOptions options)
{
    public const string DefaultName = "Guest";

    /// <summary>Trims the name; empty becomes Guest. Null result means refused, with <paramref name="reason"/>.</summary>
    public string? NormalizeName(string? raw, out string reason)
    {
        reason = string.Empty;
        var name = (raw ?? string.Empty).Trim();
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
