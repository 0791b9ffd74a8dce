namespace OpenChat.SocketIO.Tests.Samples;

/// <summary>What one run of a suite gave.</summary>
internal sealed record SuiteResult(int Passes, int Tests, IReadOnlyList<SuiteFailure> Failures);
