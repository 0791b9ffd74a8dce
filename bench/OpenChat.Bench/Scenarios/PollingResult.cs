namespace OpenChat.Bench.Scenarios;

/// <summary>Long-polling outcome: the same delivery and latency figures as one fan-out level.</summary>
public sealed record PollingResult(
    int ClientsRequested,
    int ClientsConnected,
    double ConnectSeconds,
    FanOutLevelResult? Level,
    bool Completed,
    string? Note,
    double HarnessCpuSeconds);
