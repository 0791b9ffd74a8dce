"""Plots p99 latency against offered load for every server, one panel per fan-out size.

Usage: plot.py RESULTS_JSON OUTPUT_PNG
"""
import json
import statistics
import sys
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

COLORS = {"openchat": "#512bd4", "openchat-nostore": "#9a86e8", "openchat-baseline": "#b0a0e0", "node": "#3c873a", "python": "#d9a300"}


def main(results_path, output_path):
    with open(results_path, encoding="utf-8") as f:
        results = json.load(f)

    # (receivers, server) -> offered rate -> p99 values over rounds
    series = defaultdict(lambda: defaultdict(list))
    # Per core when the run pinned the servers (the headline), else whatever ran.
    records = [r for r in results["records"] if r.get("pinning", "pinned") == "pinned"] or results["records"]
    pinned = any(r.get("pinning", "pinned") == "pinned" for r in results["records"])
    for record in records:
        metrics = record.get("metrics") or {}
        rate, p99, receivers = metrics.get("offered_rate"), metrics.get("p99_ms"), metrics.get("receivers")
        if record["scenario"] != "fanout" or rate is None or p99 is None or receivers is None:
            continue
        series[(int(receivers), record["server"])][rate].append(p99)

    if not series:
        # The report has no latency section either (ReportWriter.HasFixedRateLatency).
        print(f"no fan-out levels at a fixed rate in {results_path}: no plot written")
        return

    sizes = sorted({receivers for receivers, _ in series})
    figure, axes = plt.subplots(1, len(sizes), figsize=(5.5 * len(sizes), 4.2), squeeze=False)
    for axis, receivers in zip(axes[0], sizes):
        for (size, server), points in sorted(series.items()):
            if size != receivers:
                continue
            rates = sorted(points)
            axis.plot(rates, [statistics.median(points[r]) for r in rates], marker="o", label=server, color=COLORS.get(server))
        axis.set_title(f"fan-out to {receivers} clients")
        axis.set_xlabel("offered load (messages/s into the server)")
        axis.set_ylabel("p99 end-to-end latency (ms)")
        axis.set_xscale("log")
        axis.set_yscale("log")
        axis.grid(True, which="both", alpha=0.3)
        axis.legend()
    figure.suptitle(f"p99 latency vs offered load (profile {results['profile']}, {'each server pinned to its own core' if pinned else 'unpinned'})")
    figure.tight_layout()
    figure.savefig(output_path, dpi=110)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
