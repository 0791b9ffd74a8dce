namespace OpenChat.SocketIO.Tests.Samples;

/// <summary>A failed test of a suite: its full title and the assertion message.</summary>
internal sealed record SuiteFailure(string FullTitle, string Message)
{
    public override string ToString() => $"{FullTitle}: {Message}";
}
