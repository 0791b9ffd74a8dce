using OpenChat.Bench.Scenarios;

namespace OpenChat.Bench.Running;

/// <summary>Turns scenario results into named metrics (the vocabulary of <see cref="Reporting.MetricCatalog"/>).</summary>
public static class OutcomeMapping
{
    private const double Megabyte = 1024 * 1024;

    public static IReadOnlyList<CaseOutcome> FromFanOut(FanOutResult result, string sizeLabel)
    {
        var outcomes = new List<CaseOutcome>();
        foreach (var level in result.Levels)
        {
            var label = level.IsMaxRate ? $"{sizeLabel}, max rate" : $"{sizeLabel}, {level.OfferedRate:0.#} msg/s";
            outcomes.Add(new CaseOutcome(label, result.Completed, result.Note, LevelMetrics(level, result.ClientsConnected, result.HarnessCpuSeconds)));
        }

        if (outcomes.Count == 0)
        {
            outcomes.Add(new CaseOutcome($"{sizeLabel}, setup", false, result.Note, new Dictionary<string, double?>
            {
                ["clients_connected"] = result.ClientsConnected,
                ["connect_s"] = result.ConnectSeconds,
            }));
        }

        return outcomes;
    }

    public static IReadOnlyList<CaseOutcome> FromIdle(IdleResult result, string label) =>
    [
        new(label, result.Completed, result.Note, new Dictionary<string, double?>
        {
            ["clients_connected"] = result.ClientsConnected,
            ["connects_per_s"] = result.ConnectsPerSecond,
            ["rss_baseline_mb"] = result.BaselineBytes / Megabyte,
            ["rss_after_mb"] = result.AfterHoldBytes / Megabyte,
            ["kb_per_connection"] = result.BytesPerConnection / 1024,
            ["alive_after_hold"] = result.AliveAfterHold,
            ["server_cpu_us_per_connect"] = result.ServerCpuPerConnect * 1e6,
            ["server_cpu_ms_per_s_holding"] = result.ServerCpuDuringHold * 1e3,
            ["answered_pings"] = result.ClientsThatAnsweredPings,
            ["hold_s"] = result.HoldSeconds,
            ["harness_cpu_s"] = result.HarnessCpuSeconds,
        }),
    ];

    public static IReadOnlyList<CaseOutcome> FromBurst(BurstResult result, string label) =>
    [
        new(label, result.Completed, result.Note, new Dictionary<string, double?>
        {
            ["clients_connected"] = result.ClientsConnected,
            ["rss_baseline_mb"] = result.BaselineBytes / Megabyte,
            ["rss_peak_mb"] = result.PeakBytes / Megabyte,
            ["rss_end_mb"] = result.EndBytes / Megabyte,
            ["rss_above_baseline_mb"] = result.EndBytes is { } end && result.BaselineBytes is { } before ? (end - before) / Megabyte : null,
            ["back_within_s"] = result.SecondsUntilBack,
            ["harness_cpu_s"] = result.HarnessCpuSeconds,
        }),
    ];

    public static IReadOnlyList<CaseOutcome> FromPolling(PollingResult result, string label) =>
    [
        new(label, result.Completed, result.Note, result.Level is { } level
            ? LevelMetrics(level, result.ClientsConnected, result.HarnessCpuSeconds)
            : new Dictionary<string, double?> { ["clients_connected"] = result.ClientsConnected }),
    ];

    public static IReadOnlyList<CaseOutcome> FromChurn(ChurnResult result, string label) =>
    [
        new(label, result.Completed, result.Note, new Dictionary<string, double?>
        {
            ["cycles_completed"] = result.CyclesCompleted,
            ["cycles_failed"] = result.CyclesFailed,
            ["cycles_per_s"] = result.CyclesPerSecond,
            ["rss_baseline_mb"] = result.BaselineBytes / Megabyte,
            ["rss_after_mb"] = result.AfterBytes / Megabyte,
            ["rss_growth_mb"] = result.GrowthBytes / Megabyte,
            ["harness_cpu_s"] = result.HarnessCpuSeconds,
        }),
    ];

    public static IReadOnlyList<CaseOutcome> FromStorm(StormResult result, string label) =>
    [
        new(label, result.Completed, result.Note, new Dictionary<string, double?>
        {
            ["clients_connected"] = result.ClientsConnected,
            ["connects_per_s"] = result.ConnectsPerSecond,
            ["mb_received"] = result.BytesReceived / Megabyte,
            ["usernames_lists"] = result.UsernamesListsReceived,
            ["exact_clients"] = result.ClientsWithExactList,
            ["seconds_until_exact"] = result.SecondsUntilExact,
            ["rss_peak_mb"] = result.PeakResidentBytes / Megabyte,
            ["rss_settled_mb"] = result.SettledResidentBytes / Megabyte,
            ["harness_cpu_s"] = result.HarnessCpuSeconds,
        }),
    ];

    private static Dictionary<string, double?> LevelMetrics(FanOutLevelResult level, int receivers, double harnessCpu) => new()
    {
        ["receivers"] = receivers,
        ["offered_rate"] = level.IsMaxRate ? null : level.OfferedRate,
        ["sent_per_s"] = level.SentPerSecond,
        ["delivered_per_s"] = level.DeliveredPerSecond,
        ["p50_ms"] = Finite(level.P50Milliseconds),
        ["p99_ms"] = Finite(level.P99Milliseconds),
        ["p999_ms"] = Finite(level.P999Milliseconds),
        ["loss_ratio"] = level.LossRatio,
        ["lost"] = level.Lost,
        ["harness_cpu_s"] = harnessCpu,
        ["server_cpu_us_per_msg"] = level.ServerCpuSeconds is { } cpu && level.Sent > 0 ? cpu * 1e6 / level.Sent : null,
        ["server_cpu_us_per_delivery"] = level.ServerCpuSeconds is { } serverCpu && level.Delivered > 0 ? serverCpu * 1e6 / level.Delivered : null,
        ["harness_cpu_us_per_delivery"] = level.HarnessCpuSeconds is { } ownCpu && level.Delivered > 0 ? ownCpu * 1e6 / level.Delivered : null,
        ["server_bytes_per_delivery"] = level.ServerBytesSent is { } bytes && level.Delivered > 0 ? (double)bytes / level.Delivered : null,
    };

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;
}
