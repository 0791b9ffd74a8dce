namespace OpenChat.SocketIO.Tests.Hardening;

/// <summary>Leak tests measure process-wide memory, so nothing else may run beside them.</summary>
[CollectionDefinition(nameof(LeakTestsCollection), DisableParallelization = true)]
public sealed class LeakTestsCollection;
