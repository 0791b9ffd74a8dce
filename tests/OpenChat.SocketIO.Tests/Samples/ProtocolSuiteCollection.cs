namespace OpenChat.SocketIO.Tests.Samples;

/// <summary>Runs alone, after the other tests of this assembly: the suites measure timing.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProtocolSuiteCollection
{
    public const string Name = "Official protocol suites";
}
