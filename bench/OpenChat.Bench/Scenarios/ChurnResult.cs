namespace OpenChat.Bench.Scenarios;

/// <summary>
/// Churn outcome: cycles that completed (connected, echoed, closed), failures, cycles per second, and the
/// server's resident memory (bytes) before and after, once things settled.
/// </summary>
public sealed record ChurnResult(
    int CyclesRequested,
    int CyclesCompleted,
    int CyclesFailed,
    double Seconds,
    double CyclesPerSecond,
    long? BaselineBytes,
    long? AfterBytes,
    bool Completed,
    string? Note,
    double HarnessCpuSeconds)
{
    public long? GrowthBytes => AfterBytes - BaselineBytes;
}
