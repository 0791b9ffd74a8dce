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
}
