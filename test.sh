#!/usr/bin/env bash
# Runs the whole test suite. On a fresh Debian machine it first installs what the suite needs beyond the
# .NET SDK: Chromium (browser tests), Node.js/npm (the official Socket.IO clients, restored by the build),
# and the real services some tests start on their own ports: Redis, PostgreSQL, nginx (with openssl for
# its test certificate).
set -euo pipefail
cd "$(dirname "$0")"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium chromium-driver)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
command -v flock >/dev/null && command -v prlimit >/dev/null || missing+=(util-linux)
command -v redis-server >/dev/null || missing+=(redis-server)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v openssl >/dev/null || missing+=(openssl)
if [ ${#missing[@]} -gt 0 ]; then
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
fi

# Some tests hold hundreds of connections at once.
ulimit -n 65536 2>/dev/null || true

dotnet test OpenChat.sln "$@"
