#!/usr/bin/env bash
# Latency of a verified lead submission (PRODUCT §4.1, target P90 < 500 ms): io.flexoraa.load.intake.LeadIntakeBenchmark
# starts a real one-node engine in-process (embedded PostgreSQL 17 in a temporary directory, journal, projections,
# HTTP edge), warms up, then sends SUBMISSIONS lead submissions over real HTTP one at a time and prints P50/P90/P99.
#
# Usage (from anywhere):  load-tests/run-lead-intake-benchmark.sh
# Settings (environment, defaults in brackets):
#   SUBMISSIONS [500], WARMUP [100]
#   SKIP_BUILD [0]   1: do not run `mvn -q -DskipTests install` first
#   MVN_ARGS [""]    extra Maven arguments, e.g. "-o" for offline
#   JAVA_OPTS [-Xms512m -Xmx1g]
# The engine's log goes to a file under /tmp; the summary is printed at the end. Exit status 1 if the target is missed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
SUBMISSIONS="${SUBMISSIONS:-500}"
WARMUP="${WARMUP:-100}"
SKIP_BUILD="${SKIP_BUILD:-0}"
MVN_ARGS="${MVN_ARGS:-}"
JAVA_OPTS="${JAVA_OPTS:--Xms512m -Xmx1g}"

if [ "$SKIP_BUILD" != 1 ]; then
  # shellcheck disable=SC2086
  timeout 1800 mvn $MVN_ARGS -q -DskipTests install
fi
ENGINE_JAR="$ROOT/http/target/flexoraa-engine.jar"
[ -f "$ENGINE_JAR" ] || { echo "$ENGINE_JAR missing: build first (SKIP_BUILD=0)" >&2; exit 1; }
[ -d "$ROOT/load-tests/target/classes/io/flexoraa/load/intake" ] || { echo "load-tests not compiled" >&2; exit 1; }

LOG="$(mktemp "${TMPDIR:-/tmp}/flexoraa-intake-bench.XXXXXX.log")"
echo "engine log: $LOG"
rc=0
# shellcheck disable=SC2086
timeout --signal=TERM --kill-after=30 600 \
  java $JAVA_OPTS -Djava.util.concurrent.ForkJoinPool.common.parallelism=4 \
    -Dsubmissions="$SUBMISSIONS" -Dwarmup="$WARMUP" \
    -cp "$ENGINE_JAR:$ROOT/load-tests/target/classes" io.flexoraa.load.intake.LeadIntakeBenchmark >"$LOG" 2>&1 || rc=$?
grep -E '^(warm-up|measured|submissions|outcomes|latency|tokens|target)' "$LOG" || true
[ $rc -eq 0 ] || echo "benchmark ended with exit code $rc (log: $LOG)"
exit $rc
