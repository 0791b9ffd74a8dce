namespace OpenChat.SocketIO;

/// <summary>
/// When memory taken during a burst is given back to the operating system. The .NET GC only shrinks its heap
/// during a collection, and a server that went quiet after a burst allocates too little to trigger one: its
/// resident memory stays at the peak. Bound from the <c>IdleMemoryTrim</c> section by
/// <c>AddIdleMemoryTrimming</c>.
/// </summary>
public sealed class IdleMemoryTrimOptions
{
    /// <summary>How often the heap is looked at. Default 10 s.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Allocation rate under which the process counts as quiet, in bytes per second; a trim only runs when
    /// quiet, so it never pauses a busy server. Default 8 MiB/s (thousands of idle connections allocate far
    /// less; a burst far more).
    /// </summary>
    public long QuietAllocationBytesPerSecond { get; set; } = 8 * 1024 * 1024;

    /// <summary>Memory the GC holds beyond the live heap before a trim is worth a full collection. Default 32 MiB.</summary>
    public long MinimumReclaimableBytes { get; set; } = 32 * 1024 * 1024;

    /// <summary>Least time between two trims. Default 20 s.</summary>
    public TimeSpan MinimumTrimInterval { get; set; } = TimeSpan.FromSeconds(20);
}
