namespace OpenChat.Bench.Reporting;

/// <summary>The metrics shown in the report, per scenario, in the order shown.</summary>
public static class MetricCatalog
{
    private static readonly MetricInfo[] Delivery =
    [
        new("sent_per_s", "sent msg/s", "N0", null),
        new("delivered_per_s", "delivered msg/s", "N0", true),
        new("p50_ms", "latency p50 (ms)", "0.0#", false),
        new("p99_ms", "latency p99 (ms)", "0.0#", false),
        new("p999_ms", "latency p99.9 (ms)", "0.0#", false),
        new("loss_ratio", "loss (share of expected)", "0.####", false),
        new("server_cpu_us_per_msg", "server CPU per message sent (µs)", "N1", false),
        new("server_cpu_us_per_delivery", "server CPU per delivery (µs)", "N2", false),
        new("harness_cpu_us_per_delivery", "load generator CPU per delivery (µs)", "N2", null),
        new("server_bytes_per_delivery", "server bytes on the wire per delivery", "N0", false),
        new("harness_cpu_s", "harness CPU (s)", "0.0", null),
    ];

    public static IReadOnlyList<MetricInfo> For(string scenario) => scenario switch
    {
        "fanout" or "fanout-redis" or "polling" => Delivery,
        "idle" or "bare-idle" or "bare-hold" =>
        [
            new("clients_connected", "connected", "N0", true),
            new("connects_per_s", "connects/s", "N0", true),
            new("rss_baseline_mb", "server RSS before (MiB)", "N1", false),
            new("rss_after_mb", "server RSS after holding (MiB)", "N1", false),
            new("kb_per_connection", "server KiB per connection", "N1", false),
            new("alive_after_hold", "alive after holding", "N0", true),
            new("server_cpu_us_per_connect", "server CPU per connect, settling included (µs)", "N0", false),
            new("server_cpu_ms_per_s_holding", "server CPU while holding (ms per s)", "N1", false),
            new("answered_pings", "clients that answered a ping", "N0", null),
            new("harness_cpu_s", "harness CPU (s)", "0.0", null),
        ],
        "burst" =>
        [
            new("clients_connected", "connected", "N0", true),
            new("rss_baseline_mb", "server RSS before (MiB)", "N1", false),
            new("rss_peak_mb", "server RSS at the peak (MiB)", "N1", false),
            new("rss_end_mb", "server RSS after they left (MiB)", "N1", false),
            new("rss_above_baseline_mb", "left above the level before (MiB)", "N1", false),
            new("back_within_s", "s until back within 32 MiB", "N1", false),
            new("harness_cpu_s", "harness CPU (s)", "0.0", null),
        ],
        "churn" =>
        [
            new("cycles_completed", "cycles completed", "N0", true),
            new("cycles_failed", "cycles failed", "N0", false),
            new("cycles_per_s", "cycles/s", "N0", true),
            new("rss_baseline_mb", "server RSS before (MiB)", "N1", false),
            new("rss_after_mb", "server RSS after (MiB)", "N1", false),
            new("rss_growth_mb", "server RSS growth (MiB)", "N1", false),
            new("harness_cpu_s", "harness CPU (s)", "0.0", null),
        ],
        "storm" =>
        [
            new("clients_connected", "connected", "N0", true),
            new("connects_per_s", "connects/s", "N0", true),
            new("mb_received", "MiB received by clients", "N1", false),
            new("usernames_lists", "usernames lists received", "N0", false),
            new("exact_clients", "clients whose latest list is exact", "N0", true),
            new("seconds_until_exact", "seconds until every list exact", "0.00", false),
            new("rss_peak_mb", "server RSS at the peak (MiB)", "N1", false),
            new("rss_settled_mb", "server RSS after settling, all connected (MiB)", "N1", false),
            new("harness_cpu_s", "harness CPU (s)", "0.0", null),
        ],
        _ => [],
    };

    public static string Title(string scenario) => scenario switch
    {
        "fanout" => "Fan-out (WebSocket): every message to every client",
        "fanout-redis" => "Fan-out through Redis: two instances, every message to every client of both",
        "idle" => "Idle connections",
        "bare-idle" => "Bare hosts: idle connections (the library alone, default heartbeats, no app)",
        "bare-hold" => "Bare hosts: the most connections the open-file limit allows, held with heartbeats",
        "polling" => "Long-polling chat",
        "churn" => "Churn: connect, chat, disconnect",
        "storm" => "Connect storm",
        "burst" => "Memory after a burst",
        _ => scenario,
    };
}
