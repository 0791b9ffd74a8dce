using OpenChat.Chat;

namespace OpenChat.Tests.Chat;

public sealed class ChannelNameRulesTests
{
    private readonly ChannelNameRules _rules = new(new ChatOptions { MaxChannelNameLength = 12 });

    [Theory]
    [InlineData("random", "#random")]
    [InlineData("  #random  ", "#random")]
    [InlineData("#two words", "#two words")]
    [InlineData("#it's <b>", "#it's <b>")]
    [InlineData("#👨‍👩‍👧", "#👨‍👩‍👧")]
    [InlineData("#exactly-12", "#exactly-12")]
    public void Acceptable_names_are_kept_as_typed_with_a_leading_hash(string raw, string expected) =>
        Assert.Equal(expected, _rules.Normalize(raw, out _));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("#")]
    [InlineData("#   ")]
    [InlineData("# leading")]
    [InlineData("#thirteen-chr")]
    [InlineData("#tab\there")]
    [InlineData("#line\u2028sep")]
    [InlineData("#para\u2029sep")]
    [InlineData("#rtl\u202Eoverride")]
    [InlineData("#iso\u2066late")]
    public void Unacceptable_names_are_refused_with_a_reason(string? raw)
    {
        Assert.Null(_rules.Normalize(raw, out var reason));
        Assert.NotEmpty(reason);
    }

    [Fact]
    public void Names_with_a_lone_surrogate_are_refused()
    {
        // Built here: test case data with lone surrogates does not survive the runner's serialization.
        foreach (var raw in new[] { "#lone" + (char)0xD800, "#" + (char)0xDC00 + "lone", "#a" + (char)0xDC00 + (char)0xD800 })
        {
            Assert.Null(_rules.Normalize(raw, out var reason));
            Assert.Equal("That channel name is not valid text.", reason);
        }
    }
}
