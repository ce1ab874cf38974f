#!/usr/bin/env bash
# Built-in AI analysis latency (issue target: P90 < 20 ms): io.flexoraa.engine.ai.builtin.AnalysisBenchmark (engine
# test sources) analyses the messages of JSON Lines files cycled, plus long e-mails made of them, after a warm-up,
# on 1 thread and on THREADS threads, and prints P50/P90/P99/max. Results: docs/benchmarks/ai-analysis.md.
#
# Usage (from anywhere):  load-tests/run-ai-analysis-benchmark.sh [FILE.jsonl ...]
#   default files: our own labelled examples (engine/src/test/resources/ai/own-examples*.jsonl)
# Settings (environment, defaults in brackets):
#   ANALYSES [50000], WARMUP [20000], THREADS [2], LONG_SHARE [0.1]
#   MVN_ARGS [-o]      Maven arguments ("" to let Maven download)
#   JAVA_OPTS [-Xms256m -Xmx512m]
# Exit status 1 if the target is missed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CLASSPATH_FILE="$ROOT/engine/target/benchmark.classpath"
if [ $# -eq 0 ]; then set -- "$ROOT"/engine/src/test/resources/ai/own-examples*.jsonl; fi
# shellcheck disable=SC2086
mvn -q ${MVN_ARGS--o} -f "$ROOT/pom.xml" -pl engine test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$CLASSPATH_FILE" >&2
# shellcheck disable=SC2086
exec java ${JAVA_OPTS:--Xms256m -Xmx512m} \
  -Danalyses="${ANALYSES:-50000}" -Dwarmup="${WARMUP:-20000}" -Dthreads="${THREADS:-2}" -DlongShare="${LONG_SHARE:-0.1}" \
  -cp "$ROOT/engine/target/test-classes:$ROOT/engine/target/classes:$(cat "$CLASSPATH_FILE")" \
  io.flexoraa.engine.ai.builtin.AnalysisBenchmark "$@"
