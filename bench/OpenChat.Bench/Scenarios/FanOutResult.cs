namespace OpenChat.Bench.Scenarios;

/// <summary>The outcome of a fan-out run; <see cref="Completed"/> is false when it hit its time cap or lost clients.</summary>
public sealed record FanOutResult(
    int ClientsRequested,
    int ClientsConnected,
    double ConnectSeconds,
    IReadOnlyList<FanOutLevelResult> Levels,
    bool Completed,
    string? Note,
    double HarnessCpuSeconds,
    double HarnessCoresUsed);
