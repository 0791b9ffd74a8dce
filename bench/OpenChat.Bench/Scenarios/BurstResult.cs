namespace OpenChat.Bench.Scenarios;

/// <summary>
/// Burst outcome (resident memory in bytes): before the burst, its peak while the clients were connected,
/// at the end of the watch, and how many seconds after the clients left it first came back within the
/// tolerance of the level before (null when it did not within the window).
/// </summary>
public sealed record BurstResult(
    int ClientsRequested,
    int ClientsConnected,
    long? BaselineBytes,
    long? PeakBytes,
    long? EndBytes,
    double? SecondsUntilBack,
    double WatchedSeconds,
    bool Completed,
    string? Note,
    double HarnessCpuSeconds);
