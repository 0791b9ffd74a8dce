using System.Globalization;
using System.Text;

namespace OpenChat.Chat;

/// <summary>
/// Characters a name may not contain because they are invisible or change how the text around them is
/// shown: a right-to-left override (U+202E) makes "Ana" read as someone else's name, zero-width and filler
/// characters make names that look empty or identical to another. That is every format character
/// (Unicode category Cf) — bidirectional controls, zero-width spaces and joiners, tags — line and paragraph
/// separators, lone surrogates, and the invisible letters and selectors listed below. The one exception is
/// the zero-width joiner inside an emoji sequence (👩‍💻), and the emoji/text presentation selectors after a
/// visible character.
/// </summary>
public static class NameCharacters
{
    private const int ZeroWidthJoiner = 0x200D;

    /// <summary>Invisible characters outside category Cf: fillers that render as blank, and selectors that only alter a neighbour.</summary>
    private static readonly HashSet<int> InvisibleLetters =
    [
        0x034F, // combining grapheme joiner
        0x115F, 0x1160, 0x3164, 0xFFA0, // Hangul fillers
        0x2800, // braille pattern blank
        0x17B4, 0x17B5, // Khmer inherent vowels
        0x180B, 0x180C, 0x180D, 0x180F, // Mongolian variation selectors
    ];

    /// <summary>Whether the text is valid UTF-16 (no lone surrogate), which normalization needs.</summary>
    public static bool IsWellFormed(string text)
    {
        for (var index = 0; index < text.Length;)
        {
            if (Rune.DecodeFromUtf16(text.AsSpan(index), out _, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                return false;
            }

            index += consumed;
        }

        return true;
    }

    /// <summary>The first character a name may not contain, or null when there is none.</summary>
    public static Rune? FirstForbidden(string name)
    {
        Rune? previous = null;
        var index = 0;
        while (index < name.Length)
        {
            if (Rune.DecodeFromUtf16(name.AsSpan(index), out var rune, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                return Rune.ReplacementChar;
            }

            index += consumed;
            Rune? next = index < name.Length && Rune.DecodeFromUtf16(name.AsSpan(index), out var following, out _) == System.Buffers.OperationStatus.Done ? following : null;
            if (IsForbidden(rune, previous, next))
            {
                return rune;
            }

            previous = rune;
        }

        return null;
    }

    private static bool IsForbidden(Rune rune, Rune? previous, Rune? next)
    {
        var value = rune.Value;
        if (value == ZeroWidthJoiner)
        {
            return !(previous is { } p && IsEmojiPart(p) && next is { } n && IsEmoji(n));
        }

        if (value is 0xFE0E or 0xFE0F)
        {
            // Presentation selectors: harmless after a visible character, invisible on their own.
            return previous is not { } p || IsInvisible(p);
        }

        return IsInvisible(rune);
    }

    private static bool IsInvisible(Rune rune)
    {
        var value = rune.Value;
        if (InvisibleLetters.Contains(value) || value is (>= 0xFE00 and <= 0xFE0F) or (>= 0xE0100 and <= 0xE01EF))
        {
            return true;
        }

        return Rune.GetUnicodeCategory(rune) is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
            or UnicodeCategory.Surrogate or UnicodeCategory.Control;
    }

    /// <summary>A pictograph (So), or what may end one before a joiner: a skin tone (Sk) or the emoji presentation selector.</summary>
    private static bool IsEmojiPart(Rune rune) =>
        rune.Value == 0xFE0F || Rune.GetUnicodeCategory(rune) is UnicodeCategory.OtherSymbol or UnicodeCategory.ModifierSymbol;

    private static bool IsEmoji(Rune rune) => Rune.GetUnicodeCategory(rune) == UnicodeCategory.OtherSymbol;
}
