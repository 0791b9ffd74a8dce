namespace OpenChat.Bench.Scenarios;

/// <summary>
/// One offered load of a fan-out run. <see cref="Expected"/> is sends × clients connected; <see cref="Delivered"/>
/// counts the deliveries that arrived before the drain timeout. Latencies are end to end, in milliseconds.
/// <see cref="ServerCpuSeconds"/> is what the server process spent from the level's start to the end of its
/// drain, when its process id was known; <see cref="ServerBytesSent"/> what it sent on its connections
/// meanwhile, as the kernel counts it (after compression). <see cref="HarnessCpuSeconds"/> is what the load
/// generator itself spent over the same span: when it spends more per delivery than the server, the level's
/// latencies are mostly the time the load generator takes to read a broadcast, whichever server sent it.
/// </summary>
public sealed record FanOutLevelResult(
    double OfferedRate,
    bool IsMaxRate,
    long Sent,
    long SendFailures,
    long Expected,
    long Delivered,
    double SentPerSecond,
    double DeliveredPerSecond,
    double P50Milliseconds,
    double P99Milliseconds,
    double P999Milliseconds,
    double MaxMilliseconds,
    double? ServerCpuSeconds = null,
    long? ServerBytesSent = null,
    double? HarnessCpuSeconds = null)
{
    public long Lost => Math.Max(0, Expected - Delivered);

    public double LossRatio => Expected == 0 ? 0 : (double)Lost / Expected;
}
