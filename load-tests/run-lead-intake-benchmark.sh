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

source "$(dirname "${BASH_SOURCE[0]}")/in-process-benchmark.sh"
SUBMISSIONS="${SUBMISSIONS:-500}"
WARMUP="${WARMUP:-100}"

run_in_process_benchmark intake io.flexoraa.load.intake.LeadIntakeBenchmark 600 \
  '^(warm-up|measured|submissions|outcomes|latency|tokens|target)' \
  -Dsubmissions="$SUBMISSIONS" -Dwarmup="$WARMUP"
