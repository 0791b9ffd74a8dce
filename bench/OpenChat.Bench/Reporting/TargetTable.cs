using System.Globalization;
using System.Text;
using OpenChat.Bench.Running;

namespace OpenChat.Bench.Reporting;

/// <summary>
/// The headline: the performance targets (per core, same run) with the measured medians and whether each is
/// met. A target whose cases did not run (another profile, a server left out) says so instead of guessing.
/// </summary>
public static class TargetTable
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static void Write(StringBuilder text, IReadOnlyList<RunRecord> records, string pinning)
    {
        text.AppendLine("## Targets, per core");
        text.AppendLine();
        text.AppendLine(Invariant, $"Medians over the rounds of this run ({ReportWriter.Escape(pinning)}).");
        text.AppendLine();
        text.AppendLine("| target | measured | met |");
        text.AppendLine("|---|---|---|");
        foreach (var receivers in new[] { 1000, 100 })
        {
            Ratio(text, records, $"fan-out to {receivers:N0}, saturated: delivered msg/s ≥ 3× Node", "fanout", $"R={receivers}, max rate", "delivered_per_s", "openchat", "node", r => r >= 3);
        }

        foreach (var (receivers, rate) in new[] { (1000, 10), (100, 100) })
        {
            foreach (var metric in new[] { "p50_ms", "p99_ms" })
            {
                Ratio(text, records, $"{rate} msg/s to {receivers:N0}: {metric[..3]} ≤ Node's", "fanout", $"R={receivers}, {rate} msg/s", metric, "openchat", "node", r => r <= 1);
            }
        }

        Ratio(text, records, "bare host: connects/s ≥ 2× Node's", "bare-idle", null, "connects_per_s", "openchat-bare", "node-bare", r => r >= 2);
        Ratio(text, records, "bare host: memory per idle WebSocket ≤ ½ Node's", "bare-idle", null, "kb_per_connection", "openchat-bare", "node-bare", r => r <= 0.5);
        Storm(text, records);
        Hold(text, records);
        foreach (var receivers in new[] { 1000, 100 })
        {
            Ratio(text, records, $"storing costs ≤ 10% of fan-out to {receivers:N0}, saturated (OpenChat ÷ storage off)", "fanout", $"R={receivers}, max rate", "delivered_per_s", "openchat", "openchat-nostore", r => r >= 0.9);
        }

        var lossy = records.Where(r => r.Server.StartsWith("openchat", StringComparison.Ordinal) && r.Metrics.GetValueOrDefault("lost") is > 0).Select(r => $"{r.Server} {r.Case} r{r.Round}").ToList();
        var deliveries = records.Count(r => r.Server.StartsWith("openchat", StringComparison.Ordinal) && r.Metrics.ContainsKey("lost"));
        text.AppendLine(Invariant, $"| zero loss in every OpenChat delivery case | {(deliveries == 0 ? "not run" : lossy.Count == 0 ? $"0 lost in {deliveries} cases" : "lost in " + string.Join(", ", lossy))} | {(deliveries == 0 ? "–" : lossy.Count == 0 ? "✅" : "❌")} |");
    }

    private static void Ratio(StringBuilder text, IReadOnlyList<RunRecord> records, string target, string scenario, string? caseName, string metric, string mine, string theirs, Func<double, bool> met)
    {
        var a = Median(records, scenario, caseName, metric, mine);
        var b = Median(records, scenario, caseName, metric, theirs);
        if (a is null || b is null || b == 0)
        {
            text.AppendLine(Invariant, $"| {target} | not measured in this run ({mine}: {Format(a)}, {theirs}: {Format(b)}) | – |");
            return;
        }

        var ratio = a.Value / b.Value;
        text.AppendLine(Invariant, $"| {target} | {mine} {Format(a)}, {theirs} {Format(b)}: {ratio:0.00}× | {(met(ratio) ? "✅" : "❌")} |");
    }

    private static void Storm(StringBuilder text, IReadOnlyList<RunRecord> records)
    {
        var rss = Median(records, "storm", "N=10000", "rss_settled_mb", "openchat");
        var exact = Median(records, "storm", "N=10000", "exact_clients", "openchat");
        if (rss is null)
        {
            text.AppendLine("| 10 000-client chat storm: RSS after settling ≤ 500 MB, every list exact | not measured in this run | – |");
            return;
        }

        var mb = rss.Value * 1024 * 1024 / 1e6;
        text.AppendLine(Invariant, $"| 10 000-client chat storm: RSS after settling ≤ 500 MB, every list exact | {mb:N0} MB, {Format(exact)} of 10 000 lists exact | {(mb <= 500 && exact == 10000 ? "✅" : "❌")} |");
    }

    private static void Hold(StringBuilder text, IReadOnlyList<RunRecord> records)
    {
        var held = records.Where(r => r.Scenario == "bare-hold" && r.Server == "openchat-bare").ToList();
        if (held.Count == 0)
        {
            text.AppendLine("| the most connections the open-file limit allows held 60 s with heartbeats, none lost | not measured in this run | – |");
            return;
        }

        var size = held.Max(r => r.Size);
        var alive = held.Select(r => r.Metrics.GetValueOrDefault("alive_after_hold") ?? 0).Min();
        text.AppendLine(Invariant, $"| {size:N0} connections held with heartbeats, none lost | fewest alive after holding, over {held.Count} round(s): {alive:N0} of {size:N0} | {(alive >= size && held.All(r => r.Completed) ? "✅" : "❌")} |");
    }

    private static double? Median(IReadOnlyList<RunRecord> records, string scenario, string? caseName, string metric, string server) =>
        ReportWriter.Median(records.Where(r => r.Scenario == scenario && r.Server == server && (caseName is null || r.Case == caseName)).Select(r => r.Metrics.GetValueOrDefault(metric)));

    private static string Format(double? value) => value switch
    {
        null => "–",
        >= 100 => value.Value.ToString("N0", Invariant),
        _ => value.Value.ToString("0.0#", Invariant),
    };
}
