#!/usr/bin/env bash
# Throughput of a trivial HTTP val next to a plain Vert.x route (/healthz) of the same process,
# measured alternately with wrk (-t1 -c32) on loopback. Starts its own runtime on a scratch data
# folder and stops it afterwards. Usage: bench/wrk-trivial.sh [rounds] [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-3}"
seconds="${2:-10}"
port=18480
command -v wrk >/dev/null || { echo "installing wrk (apt-get install wrk)..." >&2; apt-get install -y -qq wrk >/dev/null; }
data="$(mktemp -d)"
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$data"' EXIT
VALENCE_DATA_DIR="$data" PORT=$port VAL_RATE_PER_MINUTE=0 ./valence run >"$data/runtime.log" 2>&1 &
pid=$!
until curl -sf -o /dev/null "localhost:$port/readyz" && [ -s "$data/bootstrap-token" ]; do sleep 0.1; kill -0 "$pid" || { cat "$data/runtime.log"; exit 1; }; done
token="$(cat "$data/bootstrap-token")"
curl -sf -X POST "localhost:$port/api/v1/vals" -H "Authorization: Bearer $token" \
  -d '{"name":"trivial","code":"export default () => new Response(\"hello\")"}' >/dev/null
rps() { wrk -t1 -c32 -d"${seconds}s" "$1" | awk '/Requests\/sec/ {print $2}'; }
p99() { wrk -t1 -c32 -d"${seconds}s" --latency "$1" | awk '$1=="99%" {print $2}'; }
echo "warming up for $((seconds * 2)) s..." >&2
rps "http://localhost:$port/v/admin/trivial" >/dev/null; rps "http://localhost:$port/healthz" >/dev/null
plain=(); val=()
for i in $(seq "$rounds"); do
  plain+=("$(rps "http://localhost:$port/healthz")")
  val+=("$(rps "http://localhost:$port/v/admin/trivial")")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
mp="$(median "${plain[@]}")"; mv="$(median "${val[@]}")"
printf 'plain Vert.x route (/healthz): %s req/s  (runs: %s)\n' "$mp" "${plain[*]}"
printf 'trivial HTTP val:              %s req/s  (runs: %s)\n' "$mv" "${val[*]}"
printf 'ratio val/plain:               %.2f\n' "$(echo "$mv / $mp" | bc -l)"
printf 'trivial val p99 latency:       %s\n' "$(p99 "http://localhost:$port/v/admin/trivial")"
