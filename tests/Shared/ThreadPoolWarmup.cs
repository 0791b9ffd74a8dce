using System.Runtime.CompilerServices;

namespace OpenChat.Testing;

internal static class ThreadPoolWarmup
{
    // On a 2-core machine the pool starts with 2 workers and grows slowly; tests that start servers, Node
    // processes and heartbeats at once would otherwise queue behind each other and miss 200 ms deadlines.
    [ModuleInitializer]
    internal static void Initialize() => ThreadPool.SetMinThreads(Math.Max(Environment.ProcessorCount, 16), Math.Max(Environment.ProcessorCount, 16));
}
