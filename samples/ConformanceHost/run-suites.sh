#!/usr/bin/env bash
# Runs the official Engine.IO and Socket.IO protocol suites, unmodified, N times each against the conformance
# host and prints each run's result, for checking "N runs in a row" on a quiet machine.
#   samples/ConformanceHost/run-suites.sh [runs=10] [suites folder=../shared/conformance] [host arguments...]
# The suites expect localhost:3000; tests/node/conformance/redirect-port.cjs sends their connections to the
# free port the host gets here instead.
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-10}
suites=$(realpath "${2:-../shared/conformance}")
shift $(( $# > 2 ? 2 : $# ))
redirect=$PWD/tests/node/conformance/redirect-port.cjs
work=$(mktemp -d)
trap 'kill "$host" 2>/dev/null || true; rm -rf "$work"' EXIT

dotnet build samples/ConformanceHost -c Release -o "$work/host" >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
dotnet "$work/host/ConformanceHost.dll" "$port" "$@" >"$work/host.log" 2>&1 &
host=$!
until (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do sleep 0.2; done

for suite in engine.io-protocol socket.io-protocol; do
  cp -r "$suites/$suite/test-suite" "$work/$suite" && chmod -R u+w "$work/$suite"
  (cd "$work/$suite" && npm ci --no-audit --no-fund >/dev/null)
  for run in $(seq 1 "$runs"); do
    result=$(cd "$work/$suite" && CONFORMANCE_PORT=$port NODE_OPTIONS="--require $redirect" \
      node node_modules/mocha/bin/mocha test-suite.js --reporter dot 2>&1 || true)
    passing=$(grep -oE '[0-9]+ passing' <<<"$result" | head -1 || true)
    failing=$(grep -oE '[0-9]+ failing' <<<"$result" | head -1 || true)
    echo "$suite run $run: ${passing:-no result}, ${failing:-0 failing}"
    grep -E '^\s+[0-9]+\) ' -A6 <<<"$result" | grep -vE '^\s*$|^--|^\s+at ' | sed 's/^/    /' || true
  done
done
