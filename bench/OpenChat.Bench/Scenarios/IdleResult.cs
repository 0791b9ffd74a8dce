namespace OpenChat.Bench.Scenarios;

/// <summary>
/// Idle outcome. Memory is the server's resident set (bytes); <see cref="BytesPerConnection"/> is
/// (after holding − baseline) ÷ connected. <see cref="AliveAfterHold"/> counts clients still open at the end,
/// <see cref="ClientsThatAnsweredPings"/> those that got and answered at least one heartbeat.
/// </summary>
public sealed record IdleResult(
    int ClientsRequested,
    int ClientsConnected,
    int ConnectFailures,
    double ConnectSeconds,
    double ConnectsPerSecond,
    long? BaselineBytes,
    long? ConnectedBytes,
    long? AfterHoldBytes,
    double? BytesPerConnection,
    int AliveAfterHold,
    int ClientsThatAnsweredPings,
    double HoldSeconds,
    bool Completed,
    string? Note,
    double HarnessCpuSeconds)
{
    /// <summary>Server CPU seconds per second of holding: what heartbeats and idle bookkeeping cost.</summary>
    public double? ServerCpuDuringHold { get; init; }

    /// <summary>Server CPU seconds per connection made (the connect phase's CPU over the connections).</summary>
    public double? ServerCpuPerConnect { get; init; }
}
