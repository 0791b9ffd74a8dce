using OpenChat.Bench.Reporting;
using OpenChat.Bench.Running;

namespace OpenChat.Tests.Bench;

/// <summary>
/// The report leads with per-core figures: the target table and the tables come from the pinned runs, the
/// unpinned runs of the same round follow as a second table, and the report names the pinning.
/// </summary>
public sealed class BenchReportTests
{
    private static RunRecord FanOut(string server, string pinning, double delivered, double p50 = 5, double p99 = 20, string level = "max rate") =>
        new(1, server, "fanout", $"R=1000, {level}", 1000, true, false, null, 10, new Dictionary<string, double?>
        {
            ["delivered_per_s"] = delivered,
            ["p50_ms"] = p50,
            ["p99_ms"] = p99,
            ["lost"] = 0,
            ["loss_ratio"] = 0,
        })
        { Pinning = pinning };

    private static string Render(params RunRecord[] records) => ReportWriter.Render(
        new BenchResults("default", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddMinutes(1), new Dictionary<string, string> { ["pinning"] = "server on CPU 1, load generator on CPU 0" }, new Dictionary<string, string>(), [], records),
        new Dictionary<string, string> { ["openchat"] = "OpenChat", ["node"] = "Node" },
        "plot.png");

    [Fact]
    public void The_targets_come_from_the_pinned_runs_and_the_unpinned_ones_follow_as_a_second_table()
    {
        var report = Render(
            FanOut("openchat", "pinned", 300_000),
            FanOut("node", "pinned", 100_000),
            FanOut("openchat", "unpinned", 900_000),
            FanOut("node", "unpinned", 90_000));

        Assert.Contains("server on CPU 1, load generator on CPU 0", report, StringComparison.Ordinal);
        Assert.Contains("openchat 300,000, node 100,000: 3.00× | ✅", report, StringComparison.Ordinal);
        var perCore = report.IndexOf("# Per core", StringComparison.Ordinal);
        var unpinned = report.IndexOf("# Unpinned", StringComparison.Ordinal);
        Assert.True(perCore > 0 && unpinned > perCore);
        Assert.Contains("10.00×", report[unpinned..], StringComparison.Ordinal);
        Assert.DoesNotContain("10.00×", report[..unpinned], StringComparison.Ordinal);
    }

    [Fact]
    public void A_target_that_is_missed_says_so_with_both_figures()
    {
        var report = Render(
            FanOut("openchat", "pinned", 1000, p50: 20, p99: 40, level: "10 msg/s"),
            FanOut("node", "pinned", 1000, p50: 10, p99: 50, level: "10 msg/s"));

        Assert.Contains("10 msg/s to 1,000: p50 ≤ Node's | openchat 20.0, node 10.0: 2.00× | ❌", report, StringComparison.Ordinal);
        Assert.Contains("10 msg/s to 1,000: p99 ≤ Node's | openchat 40.0, node 50.0: 0.80× | ✅", report, StringComparison.Ordinal);
        Assert.Contains("bare host: connects/s ≥ 2× Node's | not measured in this run", report, StringComparison.Ordinal);
    }

    [Fact]
    public void Fan_out_runs_pinned_then_unpinned_when_asked_and_everything_unpinned_without_server_cpus()
    {
        var pinned = BenchCommandLine.Parse(["--server-cpus", "1", "--harness-cpus", "0", "--unpinned", "fanout"]);
        var unpinned = BenchCommandLine.Parse(["--profile", "smoke"]);

        Assert.Equal(["pinned", "unpinned"], pinned.PinningsFor("fanout").Select(p => p.Name));
        Assert.Equal(["pinned"], pinned.PinningsFor("storm").Select(p => p.Name));
        Assert.Equal("1", pinned.PinningsFor("storm")[0].ServerCpus);
        Assert.Equal(["unpinned"], unpinned.PinningsFor("fanout").Select(p => p.Name));
        Assert.Equal(3, Pinning.CountCpus("1-3"));
    }
}
