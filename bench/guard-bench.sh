#!/usr/bin/env bash
# The schema guard's benchmark: request-path overhead (guarded vs unguarded, alternated with wrk)
# and detection latency over N flips. Usage: bench/guard-bench.sh [flips=20] [rounds=3] [seconds=8]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "installing wrk (apt-get install wrk)..." >&2; apt-get install -y -qq wrk >/dev/null; }
source <(./valence env)
exec java "${VALENCE_JVM_FLAGS[@]}" -cp "$VALENCE_CLASSPATH" bench/GuardBench.java "$@"
