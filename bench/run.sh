#!/usr/bin/env bash
# Compares OpenChat with the reference Node Socket.IO server and the original Python stack.
#   bench/run.sh [--profile smoke|default|full|compression] [--report docs/X.md]
#                [--server-cpus LIST] [--harness-cpus LIST] [--also-unpinned SCENARIOS|none] [--unpinned]
#                [more harness options, e.g. --only fanout,storm --servers openchat,node --rounds 3]
# Installs what is missing, publishes OpenChat, the bare and floor hosts and the harness in Release, runs every scenario
# against every server, writes bench/results/*.json, the report (docs/benchmarks.md) and its plot beside it
# (docs/benchmarks-latency.png).
# Pinned by default (taskset): each server on CPU 1, the load generator on CPU 0, so the figures are per core;
# --server-cpus 1-3 gives the servers more cores (on a larger machine), --harness-cpus the load generator's.
# The fan-out cases also run unpinned right after, for the second table (--also-unpinned fanout,storm or none).
# --unpinned runs everything unpinned.
set -euo pipefail
bench_dir="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$bench_dir/.." && pwd)"
cd "$repo"

profile=default
report="$repo/docs/benchmarks.md"
server_cpus=1
harness_cpus=0
also_unpinned=fanout
passthrough=()
while [ $# -gt 0 ]; do
  case "$1" in
    --profile) profile="$2"; shift 2 ;;
    --profile=*) profile="${1#--profile=}"; shift ;;
    --report) report="$(realpath -m "$2")"; shift 2 ;;
    --pin) shift ;;  # the default now
    --unpinned) server_cpus=; harness_cpus=; shift ;;
    --server-cpus) server_cpus="$2"; shift 2 ;;
    --harness-cpus) harness_cpus="$2"; shift 2 ;;
    --also-unpinned) also_unpinned="$2"; shift 2 ;;
    *) passthrough+=("$1"); shift ;;
  esac
done
plot="${report%.md}-latency.png"
case "$profile" in smoke|default|full|compression) ;; *) echo "unknown profile: $profile (smoke, default, full, compression)" >&2; exit 2 ;; esac

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
python=/usr/bin/python3

# The original stack comes from Debian packages, so it runs on the system Python.
if ! "$python" -c 'import socketio, flask, eventlet, matplotlib' >/dev/null 2>&1; then
  echo "== installing the Python stack from Debian packages"
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
    python3-socketio python3-flask python3-eventlet python3-matplotlib
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends nodejs npm
fi

echo "== node peer: npm ci"
(cd "$bench_dir/peers/node" && npm ci --no-audit --no-fund --loglevel=error)

# Every connection is a file descriptor in the harness and in the server (which inherits this limit).
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
echo "== open-file limit: $(ulimit -n)"

echo "== publishing OpenChat (Release)"
dotnet publish src/OpenChat -c Release -o "$bench_dir/out/openchat" --nologo -v quiet
echo "== publishing the bare library host (Release)"
dotnet publish "$bench_dir/peers/dotnet-bare" -c Release -o "$bench_dir/out/bare" --nologo -v quiet
echo "== publishing the framework-only floor host (Release)"
dotnet publish "$bench_dir/peers/dotnet-floor" -c Release -o "$bench_dir/out/floor" --nologo -v quiet
echo "== building the harness (Release)"
dotnet publish "$bench_dir/OpenChat.Bench" -c Release -o "$bench_dir/out/harness" --nologo -v quiet

# The default report carries the written analysis of bench/notes/benchmarks.md after the generated tables.
notes=()
if [ "$report" = "$repo/docs/benchmarks.md" ]; then notes=(--notes "$bench_dir/notes/benchmarks.md"); fi

pinning=()
if [ -n "$server_cpus" ]; then
  if [ "$(nproc --all)" -lt 2 ]; then echo "pinning needs 2 CPUs; running unpinned" >&2; else
    pinning=(--server-cpus "$server_cpus" --harness-cpus "$harness_cpus" --unpinned "$also_unpinned")
  fi
fi

echo "== running profile $profile (${pinning[*]:-unpinned})"
dotnet "$bench_dir/out/harness/OpenChat.Bench.dll" \
  --profile "$profile" \
  --repo "$repo" \
  --openchat-dll "$bench_dir/out/openchat/OpenChat.dll" \
  --python "$python" \
  --results "$bench_dir/results" \
  --report "$report" \
  --bare-dll "$bench_dir/out/bare/BareHost.dll" \
  --floor-dll "$bench_dir/out/floor/FloorHost.dll" \
  "${pinning[@]}" \
  "${notes[@]}" \
  "${passthrough[@]}"

echo "== plotting"
# A run without fan-out levels gets no plot (and its report no latency section): drop the previous one.
rm -f "$plot"
"$python" "$bench_dir/plot.py" "$bench_dir/results/latest.json" "$plot"
if [ -f "$plot" ]; then echo "== done: $report, $plot, bench/results/"; else echo "== done: $report, bench/results/"; fi
