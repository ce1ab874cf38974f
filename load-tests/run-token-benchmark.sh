#!/usr/bin/env bash
# Token debits against ONE tenant on a real one-node engine: io.flexoraa.load.tokens.TokenDebitBenchmark starts the
# engine in-process (embedded PostgreSQL 17 in a temporary directory, the real journal, projections running), warms
# up, then offers RATE debits a second through the node's TokenDebits for DURATION_SECONDS and prints the achieved
# rate, the p50/p95/p99 latency of the debit's answer, the events persisted and whether the balance is exact.
#
# Usage (from anywhere):  load-tests/run-token-benchmark.sh
# Settings (environment, defaults in brackets):
#   RATE [1000] debits/s, DURATION_SECONDS [30], WARMUP_SECONDS [10], OPERATION [scoring] (a rate-card operation)
#   SKIP_BUILD [0]   1: do not run `mvn -q -DskipTests install` first
#   MVN_ARGS [""]    extra Maven arguments, e.g. "-o" for offline
#   JAVA_OPTS [-Xms512m -Xmx1g]
# The engine's log goes to a file under /tmp; the summary is printed at the end. Exit status 1 if the books do not
# balance or the run fails.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
RATE="${RATE:-1000}"
SECONDS_MEASURED="${DURATION_SECONDS:-30}"
WARMUP_SECONDS="${WARMUP_SECONDS:-10}"
OPERATION="${OPERATION:-scoring}"
SKIP_BUILD="${SKIP_BUILD:-0}"
MVN_ARGS="${MVN_ARGS:-}"
JAVA_OPTS="${JAVA_OPTS:--Xms512m -Xmx1g}"

if [ "$SKIP_BUILD" != 1 ]; then
  # shellcheck disable=SC2086
  timeout 1800 mvn $MVN_ARGS -q -DskipTests install
fi
ENGINE_JAR="$ROOT/http/target/flexoraa-engine.jar"
[ -f "$ENGINE_JAR" ] || { echo "$ENGINE_JAR missing: build first (SKIP_BUILD=0)" >&2; exit 1; }
[ -d "$ROOT/load-tests/target/classes/io/flexoraa/load/tokens" ] || { echo "load-tests not compiled" >&2; exit 1; }

LOG="$(mktemp "${TMPDIR:-/tmp}/flexoraa-token-bench.XXXXXX.log")"
echo "engine log: $LOG"
rc=0
# shellcheck disable=SC2086
timeout --signal=TERM --kill-after=30 $((WARMUP_SECONDS + SECONDS_MEASURED + 300)) \
  java $JAVA_OPTS -Djava.util.concurrent.ForkJoinPool.common.parallelism=4 \
    -Drate="$RATE" -Dseconds="$SECONDS_MEASURED" -DwarmupSeconds="$WARMUP_SECONDS" -Doperation="$OPERATION" \
    -cp "$ENGINE_JAR:$ROOT/load-tests/target/classes" io.flexoraa.load.tokens.TokenDebitBenchmark >"$LOG" 2>&1 || rc=$?
grep -E '^(warm-up|measured|offered|sent|answered|latency|events|balance|ledger|not every)' "$LOG" || true
[ $rc -eq 0 ] || echo "benchmark ended with exit code $rc (log: $LOG)"
exit $rc
