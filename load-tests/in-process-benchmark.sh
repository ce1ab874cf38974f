# Shared by the in-process benchmark scripts (sourced, not run): builds unless SKIP_BUILD=1, then runs one benchmark
# main class against the shaded engine jar with its log in a /tmp file, prints the summary lines and exits with the
# benchmark's status. Settings: SKIP_BUILD [0], MVN_ARGS [""], JAVA_OPTS [-Xms512m -Xmx1g].

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
SKIP_BUILD="${SKIP_BUILD:-0}"
MVN_ARGS="${MVN_ARGS:-}"
JAVA_OPTS="${JAVA_OPTS:--Xms512m -Xmx1g}"

# run_in_process_benchmark <name> <main class> <timeout seconds> <summary line pattern> [-Dkey=value ...]
run_in_process_benchmark() {
  local name="$1" main="$2" limit="$3" summary="$4"
  shift 4
  if [ "$SKIP_BUILD" != 1 ]; then
    # shellcheck disable=SC2086
    timeout 1800 mvn $MVN_ARGS -q -DskipTests install
  fi
  local jar="$ROOT/http/target/flexoraa-engine.jar" classes="$ROOT/load-tests/target/classes"
  [ -f "$jar" ] || { echo "$jar missing: build first (SKIP_BUILD=0)" >&2; exit 1; }
  [ -f "$classes/${main//.//}.class" ] || { echo "load-tests not compiled ($main missing)" >&2; exit 1; }
  local log rc=0
  log="$(mktemp "${TMPDIR:-/tmp}/flexoraa-$name-bench.XXXXXX.log")"
  echo "engine log: $log"
  # shellcheck disable=SC2086
  timeout --signal=TERM --kill-after=30 "$limit" \
    java $JAVA_OPTS -Djava.util.concurrent.ForkJoinPool.common.parallelism=4 "$@" \
      -cp "$jar:$classes" "$main" >"$log" 2>&1 || rc=$?
  grep -E "$summary" "$log" || true
  [ $rc -eq 0 ] || echo "benchmark ended with exit code $rc (log: $log)"
  exit $rc
}
