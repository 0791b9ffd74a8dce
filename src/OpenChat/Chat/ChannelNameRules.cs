using System.Globalization;

namespace OpenChat.Chat;

/// <summary>
/// What a channel name may be: <c>#</c> and then up to <see cref="ChatOptions.MaxChannelNameLength"/> − 1
/// characters, trimmed, without control characters, line or paragraph separators, or the invisible
/// direction overrides that make one name look like another. Quotes, markup, spaces inside and emoji are
/// fine and are kept as typed. A name given without its <c>#</c> gets one.
/// </summary>
public sealed class ChannelNameRules(ChatOptions options)
{
    /// <summary>The channel's name as stored, or null with <paramref name="reason"/>.</summary>
    public string? Normalize(string? raw, out string reason)
    {
        reason = string.Empty;
        var name = (raw ?? string.Empty).Trim();
        if (!name.StartsWith('#'))
        {
            name = "#" + name;
        }

        if (name.Length == 1 || string.IsNullOrWhiteSpace(name[1..]))
        {
            reason = "A channel needs a name.";
            return null;
        }

        if (name.Length > options.MaxChannelNameLength)
        {
            reason = $"Channel names are at most {options.MaxChannelNameLength} characters, # included.";
            return null;
        }

        if (name[1..].TrimStart().Length != name.Length - 1)
        {
            reason = "A channel name cannot start with a space.";
            return null;
        }

        foreach (var c in name)
        {
            if (IsForbidden(c))
            {
                reason = "Channel names cannot contain control characters, line breaks or direction overrides.";
                return null;
            }
        }

        if (HasLoneSurrogate(name))
        {
            reason = "That channel name is not valid text.";
            return null;
        }

        return name;
    }

    private static bool IsForbidden(char c) =>
        char.IsControl(c)
        || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
        || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069' or '\u200E' or '\u200F' or '\u061C';

    private static bool HasLoneSurrogate(string name)
    {
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsHighSurrogate(name[i]) && i + 1 < name.Length && char.IsLowSurrogate(name[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(name[i]))
            {
                return true;
            }
        }

        return false;
    }
}
