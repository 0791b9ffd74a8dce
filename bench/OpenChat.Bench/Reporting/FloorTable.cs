using System.Globalization;
using System.Text;
using OpenChat.Bench.Running;

namespace OpenChat.Bench.Reporting;

/// <summary>
/// Beside the bare-host targets: what Kestrel and System.Net.WebSockets cost by themselves
/// (<c>dotnet-floor</c>), against the bound each target sets from Node's figure. A floor above the bound
/// means no library on this framework meets that target, however lean its own state.
/// </summary>
public static class FloorTable
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static void Write(StringBuilder text, IReadOnlyList<RunRecord> records)
    {
        var bare = records.Where(r => r.Scenario == "bare-idle").ToList();
        if (!bare.Any(r => r.Server == "dotnet-floor"))
        {
            return;
        }

        text.AppendLine();
        text.AppendLine("## What the framework allows on the bare host");
        text.AppendLine();
        text.AppendLine("`dotnet-floor` is Kestrel and System.Net.WebSockets with only what the idle clients need (`bench/peers/dotnet-floor`): no library, nothing of its own per connection but a send lock. Same case, same run, medians.");
        text.AppendLine();
        text.AppendLine("| case | measure | node-bare | target's bound | dotnet-floor | floor within the bound | openchat-bare |");
        text.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var caseName in bare.Select(r => r.Case).Distinct())
        {
            Row(text, bare, caseName, "memory per idle WebSocket (KiB)", "kb_per_connection", node => node / 2, atMost: true);
            Row(text, bare, caseName, "server CPU per connect (µs)", "server_cpu_us_per_connect", node => node / 2, atMost: true);
            Row(text, bare, caseName, "connects/s", "connects_per_s", node => node * 2, atMost: false);
        }
    }

    private static void Row(StringBuilder text, IReadOnlyList<RunRecord> records, string caseName, string title, string metric, Func<double, double> bound, bool atMost)
    {
        var node = Median(records, caseName, metric, "node-bare");
        var floor = Median(records, caseName, metric, "dotnet-floor");
        var library = Median(records, caseName, metric, "openchat-bare");
        var limit = node is { } n ? bound(n) : (double?)null;
        var verdict = floor is { } f && limit is { } l ? ((atMost ? f <= l : f >= l) ? "yes" : "no") : "–";
        text.AppendLine(Invariant, $"| {ReportWriter.Escape(caseName)} | {title} | {Format(node)} | {(limit is null ? "–" : (atMost ? "≤ " : "≥ ") + Format(limit))} | {Format(floor)} | {verdict} | {Format(library)} |");
    }

    private static double? Median(IReadOnlyList<RunRecord> records, string caseName, string metric, string server) =>
        ReportWriter.Median(records.Where(r => r.Case == caseName && r.Server == server).Select(r => r.Metrics.GetValueOrDefault(metric)));

    private static string Format(double? value) => value switch
    {
        null => "–",
        >= 100 => value.Value.ToString("N0", Invariant),
        _ => value.Value.ToString("0.0", Invariant),
    };
}
