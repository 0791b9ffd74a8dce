using System.Globalization;
using System.Text;
using OpenChat.Bench.Running;

namespace OpenChat.Bench.Reporting;

/// <summary>
/// Writes docs/benchmarks.md: the machine and versions, then one table per scenario with the median of each
/// metric over the rounds, and OpenChat's value divided by each peer's.
/// </summary>
public static class ReportWriter
{
    private const string Reference = "openchat";
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Render(BenchResults results, IReadOnlyDictionary<string, string> serverNames, string plotFileName)
    {
        var servers = results.Records.Select(r => r.Server).Distinct().OrderBy(s => s == Reference ? 0 : 1).ToList();
        var peers = servers.Where(s => s != Reference).ToList();
        var text = new StringBuilder();
        text.AppendLine("# OpenChat benchmarks");
        text.AppendLine();
        text.AppendLine(Invariant, $"> Profile **{results.Profile}**, produced by `bench/run.sh --profile {results.Profile}` on {results.StartedAt:yyyy-MM-dd HH:mm} UTC ({(results.FinishedAt - results.StartedAt).TotalMinutes:F1} minutes, {results.Records.Select(r => r.Round).DefaultIfEmpty(0).Max()} round(s)).");
        if (results.Profile == "smoke")
        {
            text.AppendLine("> A smoke run only proves the pipeline works end to end: its sizes are tiny and its numbers are not a comparison.");
        }

        text.AppendLine();
        text.AppendLine("## Machine and versions");
        text.AppendLine();
        text.AppendLine("| | |");
        text.AppendLine("|---|---|");
        foreach (var (key, value) in results.Machine.Concat(results.Servers))
        {
            text.AppendLine(Invariant, $"| {key} | {Escape(value)} |");
        }

        text.AppendLine();
        text.AppendLine("Servers compared (each alone on the machine, a fresh process per case, started by the harness):");
        text.AppendLine();
        foreach (var server in servers)
        {
            text.AppendLine(Invariant, $"- `{server}`: {serverNames.GetValueOrDefault(server, server)}");
        }

        text.AppendLine();
        text.AppendLine("## How to read the tables");
        text.AppendLine();
        text.AppendLine("Each cell is the median over the rounds. A ratio column is **OpenChat ÷ peer** for that metric: with ↑ (higher is better, e.g. messages/s) a ratio above 1 favours OpenChat; with ↓ (lower is better, e.g. latency, memory) a ratio below 1 favours OpenChat. A † marks a value from a run that did not complete (time cap, lost clients, inexact lists); the notes below each table say why. “–” means not measured.");
        text.AppendLine();
        foreach (var note in results.ProfileNotes.Distinct())
        {
            text.AppendLine(Invariant, $"- {note}");
        }

        var pinned = results.Records.Where(r => r.Pinning == "pinned").ToList();
        var unpinned = results.Records.Where(r => r.Pinning != "pinned").ToList();
        text.AppendLine();
        TargetTable.Write(text, pinned.Count > 0 ? pinned : unpinned, results.Machine.GetValueOrDefault("pinning", "unknown"));
        FloorTable.Write(text, pinned.Count > 0 ? pinned : unpinned);
        if (pinned.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("# Per core: each server pinned to its own core(s), the load generator on another");
            text.AppendLine();
            text.AppendLine(Invariant, $"Pinning: {Escape(results.Machine.GetValueOrDefault("pinning", "pinned"))}.");
            foreach (var scenario in pinned.Select(r => r.Scenario).Distinct())
            {
                WriteScenario(text, pinned, scenario, servers, peers);
            }
        }

        if (unpinned.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("# Unpinned: server and load generator share every core");
            text.AppendLine();
            text.AppendLine("Same run, same rounds: these cases also ran with nothing pinned, so a server may use every core while it competes with the load generator for them.");
            foreach (var scenario in unpinned.Select(r => r.Scenario).Distinct())
            {
                WriteScenario(text, unpinned, scenario, servers, peers);
            }
        }

        // bench/plot.py draws these levels (of the pinned runs when there are any), and writes no plot without them.
        if ((pinned.Count > 0 ? pinned : unpinned).Any(HasFixedRateLatency))
        {
            text.AppendLine("## Latency against offered load");
            text.AppendLine();
            text.AppendLine(Invariant, $"![p99 latency against offered load]({plotFileName})");
            text.AppendLine();
            text.AppendLine("p99 end-to-end latency of the fan-out levels at fixed offered rates (log scale), one panel per number of receivers.");
        }

        return text.ToString();
    }

    private static bool HasFixedRateLatency(RunRecord record) =>
        record.Scenario == "fanout"
        && record.Metrics.GetValueOrDefault("offered_rate") is not null
        && record.Metrics.GetValueOrDefault("p99_ms") is not null
        && record.Metrics.GetValueOrDefault("receivers") is not null;

    private static void WriteScenario(StringBuilder text, IReadOnlyList<RunRecord> all, string scenario, List<string> servers, List<string> peers)
    {
        var records = all.Where(r => r.Scenario == scenario).ToList();
        var present = servers.Where(s => records.Any(r => r.Server == s)).ToList();
        var reference = present.FirstOrDefault(s => s == Reference) ?? present.FirstOrDefault(s => s.StartsWith(Reference, StringComparison.Ordinal)) ?? present.FirstOrDefault() ?? Reference;
        servers = [.. present.Where(s => s == reference), .. present.Where(s => s != reference)];
        peers = servers.Where(s => s != reference).ToList();
        text.AppendLine();
        text.AppendLine(Invariant, $"## {MetricCatalog.Title(scenario)}");
        text.AppendLine();
        text.Append("| case | metric |");
        foreach (var server in servers)
        {
            text.Append(Invariant, $" {server} |");
        }

        foreach (var peer in peers)
        {
            text.Append(Invariant, $" {reference} ÷ {peer} |");
        }

        text.AppendLine();
        text.AppendLine("|" + string.Concat(Enumerable.Repeat("---|", 2 + servers.Count + peers.Count)));
        foreach (var caseName in records.Select(r => r.Case).Distinct())
        {
            var first = true;
            foreach (var metric in MetricCatalog.For(scenario))
            {
                var medians = servers.ToDictionary(s => s, s => Median(records.Where(r => r.Case == caseName && r.Server == s).Select(r => r.Metrics.GetValueOrDefault(metric.Key))));
                if (medians.Values.All(v => v is null))
                {
                    continue;
                }

                var direction = metric.HigherIsBetter switch { true => " ↑", false => " ↓", null => string.Empty };
                text.Append(Invariant, $"| {(first ? Escape(caseName) : string.Empty)} | {metric.Title}{direction} |");
                first = false;
                foreach (var server in servers)
                {
                    var incomplete = records.Any(r => r.Case == caseName && r.Server == server && !r.Completed);
                    text.Append(Invariant, $" {Format(medians[server], metric.Format)}{(incomplete && medians[server] is not null ? " †" : string.Empty)} |");
                }

                foreach (var peer in peers)
                {
                    var ratio = metric.HigherIsBetter is not null && medians[reference] is { } mine && medians[peer] is { } theirs && theirs != 0 ? mine / theirs : (double?)null;
                    text.Append(Invariant, $" {(ratio is { } r ? r.ToString("0.00", Invariant) + "×" : "–")} |");
                }

                text.AppendLine();
            }

            foreach (var server in servers.Where(s => !records.Any(r => r.Case == caseName && r.Server == s)))
            {
                text.AppendLine($"| | ({server}: no result) |" + string.Concat(Enumerable.Repeat(" |", servers.Count + peers.Count)));
            }
        }

        var notes = records.Where(r => r.Note is not null).Select(r => $"{r.Server}, {r.Case}, round {r.Round}: {r.Note}").Distinct().ToList();
        if (notes.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("Notes:");
            text.AppendLine();
            foreach (var note in notes)
            {
                text.AppendLine(Invariant, $"- {Escape(note)}");
            }
        }

        text.AppendLine();
    }

    internal static double? Median(IEnumerable<double?> values)
    {
        var present = values.Where(v => v is not null && double.IsFinite(v.Value)).Select(v => v!.Value).Order().ToArray();
        if (present.Length == 0)
        {
            return null;
        }

        var middle = present.Length / 2;
        return present.Length % 2 == 1 ? present[middle] : (present[middle - 1] + present[middle]) / 2;
    }

    private static string Format(double? value, string format) => value is { } v ? v.ToString(format, Invariant) : "–";

    internal static string Escape(string value) => value.Replace("|", "\\|", StringComparison.Ordinal);
}
