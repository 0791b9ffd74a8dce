using OpenChat.Chat;

namespace OpenChat.Tests.Chat;

public sealed class InputRulesTests
{
    private readonly InputRules _rules = new(new ChatOptions());

    [Fact]
    public void Names_are_trimmed()
    {
        Assert.Equal("Ana", _rules.NormalizeName("  Ana \t", out _));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(" \t ")]
    public void An_empty_or_blank_name_becomes_Guest(string? raw)
    {
        Assert.Equal(InputRules.DefaultName, _rules.NormalizeName(raw, out var reason));
        Assert.Equal(string.Empty, reason);
    }

    [Fact]
    public void A_name_of_the_maximum_length_is_accepted()
    {
        var name = new string('n', 32);
        Assert.Equal(name, _rules.NormalizeName(name, out _));
    }

    [Fact]
    public void A_name_one_longer_than_the_maximum_is_refused_with_a_reason()
    {
        Assert.Null(_rules.NormalizeName(new string('n', 33), out var reason));
        Assert.Contains("32", reason);
    }

    [Fact]
    public void The_length_is_counted_after_trimming()
    {
        var name = new string('n', 32);
        Assert.Equal(name, _rules.NormalizeName("   " + name + "   ", out _));
    }

    [Theory]
    [InlineData("A\u0007na")]
    [InlineData("A\u0000")]
    [InlineData("An\u001Ba")]
    [InlineData("Ana\u007Fx")]
    [InlineData("A\nna")]
    public void Names_with_control_characters_are_refused(string raw)
    {
        Assert.Null(_rules.NormalizeName(raw, out var reason));
        Assert.False(string.IsNullOrWhiteSpace(reason));
    }

    [Fact]
    public void The_name_limit_follows_the_options()
    {
        var rules = new InputRules(new ChatOptions { MaxNameLength = 5 });
        Assert.Equal("abcde", rules.NormalizeName("abcde", out _));
        Assert.Null(rules.NormalizeName("abcdef", out var reason));
        Assert.Contains("5", reason);
    }

    [Fact]
    public void A_message_of_the_maximum_length_is_accepted()
    {
        Assert.Null(_rules.CheckMessage(new string('m', 2000)));
    }

    [Fact]
    public void A_message_one_longer_than_the_maximum_is_refused_with_a_reason()
    {
        var reason = _rules.CheckMessage(new string('m', 2001));
        Assert.NotNull(reason);
        Assert.Contains("2000", reason);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Empty_messages_are_refused(string text)
    {
        Assert.False(string.IsNullOrWhiteSpace(_rules.CheckMessage(text)));
    }

    [Fact]
    public void A_one_character_message_is_accepted()
    {
        Assert.Null(_rules.CheckMessage("x"));
    }

    [Fact]
    public void The_message_limit_follows_the_options()
    {
        var rules = new InputRules(new ChatOptions { MaxMessageLength = 10 });
        Assert.Null(rules.CheckMessage(new string('m', 10)));
        Assert.NotNull(rules.CheckMessage(new string('m', 11)));
    }

    [Fact]
    public void Names_are_normalized_to_nfc_so_one_look_has_one_spelling()
    {
        var decomposed = "Jose\u0301";
        Assert.Equal("Jos\u00E9", _rules.NormalizeName(decomposed, out _));
    }

    [Theory]
    [InlineData("Ana\u202Egnp.exe", "202E")]   // right-to-left override
    [InlineData("\u202DAna", "202D")]          // left-to-right override
    [InlineData("An\u2067a\u2069", "2067")]    // right-to-left isolate
    [InlineData("A\u200Bna", "200B")]          // zero-width space
    [InlineData("Ana\uFEFF", "FEFF")]          // zero-width no-break space
    [InlineData("A\u00ADna", "00AD")]          // soft hyphen
    [InlineData("A\u200Dna", "200D")]          // a joiner that joins no emoji
    [InlineData("An\u2028a", "2028")]          // line separator
    [InlineData("\u3164", "3164")]             // Hangul filler: looks empty
    [InlineData("\u2800\u2800", "2800")]       // braille blank
    [InlineData("A\u034Fna", "034F")]          // combining grapheme joiner
    [InlineData("Ana\uDB40\uDC41", "E0041")]  // a tag character
    public void Names_with_invisible_or_direction_changing_characters_are_refused_naming_the_character(string raw, string codePoint)
    {
        Assert.Null(_rules.NormalizeName(raw, out var reason));
        Assert.Contains($"U+{codePoint}", reason);
    }

    [Theory]
    [InlineData("\u200B")]
    [InlineData("\u200B\u200C\u200D")]
    [InlineData(" \u2060 ")]
    public void Names_made_only_of_invisible_characters_are_refused_rather_than_shown_as_empty(string raw)
    {
        Assert.Null(_rules.NormalizeName(raw, out var reason));
        Assert.False(string.IsNullOrWhiteSpace(reason));
    }

    [Fact]
    public void A_name_with_a_lone_surrogate_is_refused()
    {
        Assert.Null(_rules.NormalizeName("Ana\uD800", out var reason));
        Assert.Contains("valid text", reason);
    }

    [Theory]
    [InlineData("Ana \U0001F469\u200D\U0001F4BB")]           // woman technologist: a joined emoji sequence
    [InlineData("\u2764\uFE0F Bo")]                          // heart with the emoji presentation selector
    [InlineData("\U0001F44B\U0001F3FD Cy")]                   // waving hand with a skin tone
    [InlineData("\U0001F468\U0001F3FD\u200D\U0001F4BB")]      // skin tone, then a joiner
    [InlineData("\u05E9\u05DC\u05D5\u05DD")]                   // Hebrew, right to left by itself
    [InlineData("\u0645\u0631\u062D\u0628\u0627")]              // Arabic
    [InlineData("\u674E\u5C0F\u9F99")]                         // Chinese
    public void Emoji_sequences_and_right_to_left_scripts_are_accepted(string name)
    {
        Assert.Equal(name, _rules.NormalizeName(name, out var reason));
        Assert.Equal(string.Empty, reason);
    }
}
