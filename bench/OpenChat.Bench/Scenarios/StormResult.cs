namespace OpenChat.Bench.Scenarios;

/// <summary>
/// Storm outcome. <see cref="SecondsUntilExact"/> is from the first connect until the last client received
/// the list that is still its latest and exact (null when not every client got there). Bytes are what all
/// clients received in total, heartbeats and presence lists included.
/// </summary>
public sealed record StormResult(
    int ClientsRequested,
    int ClientsConnected,
    int ConnectFailures,
    double ConnectSeconds,
    double ConnectsPerSecond,
    long BytesReceived,
    long UsernamesListsReceived,
    int ClientsWithExactList,
    double? SecondsUntilExact,
    bool Completed,
    string? Note,
    double HarnessCpuSeconds,
    double HarnessCoresUsed)
{
    /// <summary>The server's highest resident memory sampled while the storm ran.</summary>
    public long? PeakResidentBytes { get; init; }

    /// <summary>The server's resident memory after the settle time, every client still connected.</summary>
    public long? SettledResidentBytes { get; init; }
}
