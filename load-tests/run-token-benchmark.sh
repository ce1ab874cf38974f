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

source "$(dirname "${BASH_SOURCE[0]}")/in-process-benchmark.sh"
RATE="${RATE:-1000}"
SECONDS_MEASURED="${DURATION_SECONDS:-30}"
WARMUP_SECONDS="${WARMUP_SECONDS:-10}"
OPERATION="${OPERATION:-scoring}"

run_in_process_benchmark token io.flexoraa.load.tokens.TokenDebitBenchmark $((WARMUP_SECONDS + SECONDS_MEASURED + 300)) \
  '^(warm-up|measured|offered|sent|answered|latency|events|balance|ledger|not every)' \
  -Drate="$RATE" -Dseconds="$SECONDS_MEASURED" -DwarmupSeconds="$WARMUP_SECONDS" -Doperation="$OPERATION"
