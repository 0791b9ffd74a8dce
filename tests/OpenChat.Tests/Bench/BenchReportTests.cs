using OpenChat.Bench.Reporting;
using OpenChat.Bench.Running;
using OpenChat.Bench.Scenarios;

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

    [Fact]
    public void A_fan_out_level_reports_what_the_server_and_the_load_generator_each_spent_per_delivery()
    {
        var level = new FanOutLevelResult(10, false, Sent: 50, SendFailures: 0, Expected: 50_000, Delivered: 50_000, 10, 10_000, 9, 19, 21, 22,
            ServerCpuSeconds: 0.45, ServerBytesSent: 3_250_000, HarnessCpuSeconds: 1.0);
        var outcome = OutcomeMapping.FromFanOut(new FanOutResult(1000, 1000, 1, [level], true, null, 14, 0.5), "R=1000").Single();

        Assert.Equal("R=1000, 10 msg/s", outcome.Case);
        Assert.Equal(9_000, outcome.Metrics["server_cpu_us_per_msg"]!.Value, 6);
        Assert.Equal(9, outcome.Metrics["server_cpu_us_per_delivery"]!.Value, 6);
        Assert.Equal(20, outcome.Metrics["harness_cpu_us_per_delivery"]!.Value, 6);

        var record = new RunRecord(1, "openchat", "fanout", outcome.Case, 1000, true, false, null, 10, outcome.Metrics);
        var report = Render(record, record with { Server = "node" });
        Assert.Contains("| server CPU per delivery (µs) ↓ | 9.00 | 9.00 | 1.00× |", report, StringComparison.Ordinal);
        Assert.Contains("| load generator CPU per delivery (µs) | 20.00 | 20.00 | – |", report, StringComparison.Ordinal);
    }

    [Fact]
    public void The_latency_plot_is_linked_only_when_the_run_has_fan_out_levels_at_a_fixed_rate()
    {
        var light = FanOut("openchat", "pinned", 10_000, level: "10 msg/s");
        var fixedRate = light with { Metrics = new Dictionary<string, double?>(light.Metrics) { ["offered_rate"] = 10, ["receivers"] = 1000 } };
        Assert.Contains("![p99 latency against offered load](plot.png)", Render(fixedRate, fixedRate with { Server = "node" }), StringComparison.Ordinal);

        // Max-rate levels alone (no offered rate) and other scenarios give the plot nothing to draw.
        var storm = new RunRecord(1, "openchat", "storm", "N=10000", 10_000, true, false, null, 60, new Dictionary<string, double?> { ["connects_per_s"] = 300 });
        var report = Render(FanOut("openchat", "pinned", 300_000), storm);
        Assert.DoesNotContain("Latency against offered load", report, StringComparison.Ordinal);
        Assert.DoesNotContain("plot.png", report, StringComparison.Ordinal);

        // The plot draws the pinned runs when there are any: fixed-rate levels only unpinned leave it empty.
        var unpinnedOnly = fixedRate with { Pinning = "unpinned" };
        Assert.DoesNotContain("plot.png", Render(FanOut("openchat", "pinned", 300_000), unpinnedOnly), StringComparison.Ordinal);
    }

    private static RunRecord BareIdle(string server, double kib, double cpuPerConnect, double connectsPerSecond) =>
        new(1, server, "bare-idle", "N=10000", 10_000, true, false, null, 60, new Dictionary<string, double?>
        {
            ["kb_per_connection"] = kib,
            ["server_cpu_us_per_connect"] = cpuPerConnect,
            ["connects_per_s"] = connectsPerSecond,
        })
        { Pinning = "pinned" };

    [Fact]
    public void The_framework_floor_is_set_against_the_bound_each_bare_host_target_draws_from_Node()
    {
        var report = Render(
            BareIdle("openchat-bare", 18.3, 280, 3300),
            BareIdle("node-bare", 10, 340, 2800),
            BareIdle("dotnet-floor", 9.2, 150, 4000));

        var floor = report[report.IndexOf("## What the framework allows on the bare host", StringComparison.Ordinal)..];
        Assert.Contains("| N=10000 | memory per idle WebSocket (KiB) | 10.0 | ≤ 5.0 | 9.2 | no | 18.3 |", floor, StringComparison.Ordinal);
        Assert.Contains("| N=10000 | server CPU per connect (µs) | 340 | ≤ 170 | 150 | yes | 280 |", floor, StringComparison.Ordinal);
        Assert.Contains("| N=10000 | connects/s | 2,800 | ≥ 5,600 | 4,000 | no | 3,300 |", floor, StringComparison.Ordinal);

        // Without the floor host in the run there is nothing to set against the targets.
        Assert.DoesNotContain("What the framework allows", Render(BareIdle("openchat-bare", 18.3, 280, 3300), BareIdle("node-bare", 10, 340, 2800)), StringComparison.Ordinal);
    }
}
