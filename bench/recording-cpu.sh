#!/usr/bin/env bash
# CPU cost of run recording: starts a runtime (RECORD_RUNS=true|false) on a scratch data folder,
# warms a trivial val up with wrk for 60 s, then for 3 runs of 10 s prints req/s and the CPU time per
# request of the runtime JVM and of its embedded PostgreSQL (from /proc/PID/stat).
# Usage: bench/recording-cpu.sh [true|false] [checkout=this one]
set -euo pipefail
rec="${1:-true}"
repo="$(cd "${2:-$(dirname "$0")/..}" && pwd)"
cd "$repo"
command -v wrk >/dev/null || { echo "installing wrk (apt-get install wrk)..." >&2; apt-get install -y -qq wrk >/dev/null; }
source <(./valence env)
data="$(mktemp -d)"; port=$((20000 + RANDOM % 20000))
VALENCE_DATA_DIR="$data" PORT=$port EMBED_STATUS_PAGE=false STATUS_PORT=0 RECORD_RUNS="$rec" VAL_RATE_PER_MINUTE=0 \
  java "${VALENCE_JVM_FLAGS[@]}" -cp "$VALENCE_CLASSPATH" dev.valence.runtime.Main >"$data/runtime.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; rm -rf "$data"' EXIT
until curl -sf -o /dev/null "localhost:$port/readyz" && [ -s "$data/bootstrap-token" ]; do sleep 0.2; kill -0 "$pid"; done
curl -sf -X POST "localhost:$port/api/v1/vals" -H "Authorization: Bearer $(cat "$data/bootstrap-token")" \
  -d '{"name":"t","code":"export default () => new Response(\"hello\")"}' >/dev/null
ticks() { local total=0 p; for p in "$@"; do [ -r "/proc/$p/stat" ] && total=$((total + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done; echo "$total"; }
# the postmaster (its command line names the data folder) and its children (backends, writers)
postgres_pids() { ps -eo pid=,comm=,args= | awk -v d="$data" '$2 == "postgres" && index($0, d) {print $1}' | while read -r p; do echo "$p"; ps --ppid "$p" -o pid= || true; done; }
for i in 1 2 3 4 5 6; do wrk -t1 -c32 -d10s "http://localhost:$port/v/admin/t" | awk '/Requests\/sec/ {print "warm-up:", $2, "req/s"}'; done
for i in 1 2 3; do
  pg=$(postgres_pids); j0=$(ticks "$pid"); g0=$(ticks $pg)
  r=$(wrk -t1 -c32 -d10s "http://localhost:$port/v/admin/t" | awk '/Requests\/sec/ {print $2}')
  pg=$(postgres_pids); j=$(( $(ticks "$pid") - j0 )); g=$(( $(ticks $pg) - g0 ))
  # a tick is 10 ms of CPU: µs per request = ticks * 10,000 / requests
  printf 'RECORD_RUNS=%s  %s req/s  JVM %.1f µs CPU/request  PostgreSQL %.2f µs CPU/request\n' "$rec" "$r" \
    "$(echo "$j * 10000 / ($r * 10)" | bc -l)" "$(echo "$g * 10000 / ($r * 10)" | bc -l)"
done
