namespace OpenChat.Tests.Browser;

/// <summary>Every browser test shares one Chromium; xunit runs the tests of a collection one after another.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}
