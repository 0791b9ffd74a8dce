namespace OpenChat.Bench.Running;

/// <summary>One measured (or skipped) case for one server in one round, as written to the results JSON.</summary>
public sealed record RunRecord(
    int Round,
    string Server,
    string Scenario,
    string Case,
    int Size,
    bool Completed,
    bool Capped,
    string? Note,
    double WallSeconds,
    IReadOnlyDictionary<string, double?> Metrics)
{
    /// <summary>"pinned" (server and load generator on their own cores) or "unpinned".</summary>
    public string Pinning { get; init; } = "pinned";
}
