#!/usr/bin/env bash
# Compares OpenChat with the reference Node Socket.IO server and the original Python stack.
#   bench/run.sh [--profile smoke|default|full|compression] [--report docs/X.md] [--pin] [more harness options, e.g. --only fanout,storm]
# Installs what is missing, publishes OpenChat and the harness in Release, runs every scenario against
# every server, writes bench/results/*.json, the report (docs/benchmarks.md) and its plot beside it
# (docs/benchmarks-latency.png). --pin runs the load generator on CPU 0 and the servers on CPU 1.
set -euo pipefail
bench_dir="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$bench_dir/.." && pwd)"
cd "$repo"

profile=default
report="$repo/docs/benchmarks.md"
pin=()
passthrough=()
while [ $# -gt 0 ]; do
  case "$1" in
    --profile) profile="$2"; shift 2 ;;
    --profile=*) profile="${1#--profile=}"; shift ;;
    --report) report="$(realpath -m "$2")"; shift 2 ;;
    --pin) pin=(taskset -c 0); passthrough+=(--server-cpus 1); shift ;;
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
echo "== building the harness (Release)"
dotnet publish "$bench_dir/OpenChat.Bench" -c Release -o "$bench_dir/out/harness" --nologo -v quiet

echo "== running profile $profile"
"${pin[@]}" dotnet "$bench_dir/out/harness/OpenChat.Bench.dll" \
  --profile "$profile" \
  --repo "$repo" \
  --openchat-dll "$bench_dir/out/openchat/OpenChat.dll" \
  --python "$python" \
  --results "$bench_dir/results" \
  --report "$report" \
  "${passthrough[@]}"

echo "== plotting"
"$python" "$bench_dir/plot.py" "$bench_dir/results/latest.json" "$plot"
echo "== done: $report, $plot, bench/results/"
