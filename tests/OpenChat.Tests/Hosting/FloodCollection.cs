namespace OpenChat.Tests.Hosting;

/// <summary>
/// The tests that flood the built app (connections, handshakes, a SIGTERM under load) run on their own, not
/// beside other tests: they saturate this machine's two cores for seconds, and timing-sensitive tests running
/// beside them would pay for it.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FloodCollection
{
    public const string Name = "Floods";
}
