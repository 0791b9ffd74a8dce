using OpenChat.Chat;

namespace OpenChat.Tests.Chat;

/// <summary>Names compare NFKC-normalized and case-folded: look-alikes made of case or compatibility forms are one name.</summary>
public sealed class NameKeyTests
{
    [Theory]
    [InlineData("ANA")]
    [InlineData("ana")]
    [InlineData("aNa")]
    [InlineData("Ａｎａ")] // full-width
    [InlineData("𝐀𝐧𝐚")] // mathematical bold
    [InlineData("𝔄𝔫𝔞")] // fraktur
    [InlineData("Ⓐⓝⓐ")] // circled
    [InlineData("ᴬⁿᵃ")] // superscript modifiers
    [InlineData("A\u0300na")] // not the same: a combining grave accent is a different letter
    public void Case_and_compatibility_variants_of_a_name_have_its_key(string variant)
    {
        var same = variant != "A\u0300na";
        Assert.Equal(same, InputRules.NameKey(variant) == InputRules.NameKey("Ana"));
    }

    [Theory]
    [InlineData("Straße", "STRASSE")]
    [InlineData("ẞ", "ss")]
    [InlineData("ΣΊΣΥΦΟΣ", "σίσυφος")] // final sigma
    [InlineData("ǅemal", "DŽEMAL")] // title-case digraph
    [InlineData("ﬁona", "Fiona")] // ligature
    [InlineData("Ana  Lee", "ana lee")] // a run of spaces
    [InlineData("Ana\u00A0Lee", "Ana Lee")] // no-break space
    [InlineData("Zoe\u0308", "Zoë")] // decomposed and composed
    [InlineData("İstanbul", "i\u0307stanbul")]
    public void Full_case_folding_and_space_runs_are_applied(string a, string b) =>
        Assert.Equal(InputRules.NameKey(a), InputRules.NameKey(b));

    [Theory]
    [InlineData("Ana", "Anna")]
    [InlineData("Ana", "Аna")] // Cyrillic А: another script, no common form
    [InlineData("Ana", "Ana1")]
    public void Different_names_keep_different_keys(string a, string b) =>
        Assert.NotEqual(InputRules.NameKey(a), InputRules.NameKey(b));
}
