#!/usr/bin/env bash
# Flexoraa Engine vs. raw baseline: the same signed WhatsApp webhook load (Gatling, open model) against
#   1. the raw baseline (load-tests/.../RawIngestBaseline: Pekko HTTP + HMAC check + batched JDBC insert into
#      PostgreSQL, 200 only after commit): the ceiling of "verify + durable write before answering" on this machine;
#   2. the engine (http/target/flexoraa-engine.jar), after provisioning tenants and WhatsApp numbers through its API.
# Then prints both Gatling reports and the key numbers side by side.
#
# Everything runs on this machine and talks to 127.0.0.1 only. Every step is bounded in time.
#
# Usage (from anywhere):  load-tests/run-benchmark.sh
# Settings (environment, defaults in brackets):
#   RATE [500] users/s (one POST each), DURATION_SECONDS [30], RAMP_SECONDS [5], TENANTS [20], LEADS_PER_TENANT [200]
#   WARMUP_SECONDS [40], WARMUP_RATE [RATE/2]   an unmeasured run first against each server, so the measured run
#                                   sees a JIT-compiled JVM as in production; the measured run then uses new tenants
#                                   and leads (first messages included), not the warm-up's
#   MIN_SUCCESS_PERCENT [99]        the only Gatling assertion
#   SKIP_BUILD [0]                  1: do not run `mvn -q -DskipTests install` first
#   RUN_BASELINE [1], RUN_ENGINE [1]
#   MVN_ARGS [""]                   extra Maven arguments for every mvn call, e.g. "-o" for offline
#   META_APP_SECRET [load-test-secret]    HMAC key, given to the servers and to the simulation
#   BASELINE_PORT [8090]
#   BASELINE_DATABASE_URL / _USER / _PASSWORD   an already running PostgreSQL for the baseline; when unset, Debian's
#                                   postgresql is used through pg_ctlcluster (PG_CLUSTER [first of pg_lsclusters],
#                                   started if down and stopped again at the end) with role/db "baseline"
#   ENGINE_HTTP_PORT [18080], ENGINE_CLUSTER_PORT [25590]   (not the defaults, so a dev engine on 8080 is untouched)
#   FLEXORAA_OPERATOR_KEY [random]  operator key given to the engine and used for provisioning
#   ENGINE_DATABASE [embedded]      embedded: the engine's own PostgreSQL in a temporary FLEXORAA_DATA_DIR;
#                                   debian: a fresh database on the same PostgreSQL as the baseline (DATABASE_URL)
#   ENGINE_JAVA_OPTS [""], BASELINE_JAVA_OPTS [-Xms512m -Xmx1g]
#   ENGINE_READY_TIMEOUT [180] seconds to wait for GET /ready = 200
#   KEEP_TMP [0]                    1: keep the engine's data directory (logs are always kept in a /tmp dir)
# Exit status: 0 when every run that was asked for completed and met its assertion, 1 otherwise.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

RATE="${RATE:-500}"
DURATION_SECONDS="${DURATION_SECONDS:-30}"
WARMUP_SECONDS="${WARMUP_SECONDS:-40}"
WARMUP_RATE="${WARMUP_RATE:-$(( ${RATE:-500} / 2 ))}"
RAMP_SECONDS="${RAMP_SECONDS:-5}"
TENANTS="${TENANTS:-20}"
LEADS_PER_TENANT="${LEADS_PER_TENANT:-200}"
MIN_SUCCESS_PERCENT="${MIN_SUCCESS_PERCENT:-99}"
SKIP_BUILD="${SKIP_BUILD:-0}"
RUN_BASELINE="${RUN_BASELINE:-1}"
RUN_ENGINE="${RUN_ENGINE:-1}"
MVN_ARGS="${MVN_ARGS:-}"
export META_APP_SECRET="${META_APP_SECRET:-load-test-secret}"
BASELINE_PORT="${BASELINE_PORT:-8090}"
ENGINE_HTTP_PORT="${ENGINE_HTTP_PORT:-18080}"
ENGINE_CLUSTER_PORT="${ENGINE_CLUSTER_PORT:-25590}"
ENGINE_DATABASE="${ENGINE_DATABASE:-embedded}"
ENGINE_JAVA_OPTS="${ENGINE_JAVA_OPTS:-}"
BASELINE_JAVA_OPTS="${BASELINE_JAVA_OPTS:--Xms512m -Xmx1g}"
ENGINE_READY_TIMEOUT="${ENGINE_READY_TIMEOUT:-180}"
KEEP_TMP="${KEEP_TMP:-0}"
OPERATOR_KEY="${FLEXORAA_OPERATOR_KEY:-bench-$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')}"

ENGINE_JAR="$ROOT/http/target/flexoraa-engine.jar"
BASELINE_JAR="$ROOT/load-tests/target/raw-ingest-baseline.jar"
SIMULATION=io.flexoraa.load.WhatsAppIngestSimulation
# the simulation stops itself after ramp + duration + 90 s (maxDuration); this is the outer bound for Maven
GATLING_TIMEOUT=$((RAMP_SECONDS + DURATION_SECONDS + 300))

WORK="$(mktemp -d "${TMPDIR:-/tmp}/flexoraa-bench.XXXXXX")"
BASELINE_PID=""
ENGINE_PID=""
PG_STARTED_BY_US=""
PG_CLUSTER_VER=""
PG_CLUSTER_NAME=""
declare -A RESULT_LOG=() RESULT_RC=()

# ---- process handling: only the processes this script started, by pid --------------------------------------------

# shellcheck source=load-tests/bench-processes.sh
source "$ROOT/load-tests/bench-processes.sh"

cleanup() {
  local rc=$?
  stop_pid "$BASELINE_PID" baseline 20
  BASELINE_PID=""
  stop_pid "$ENGINE_PID" engine 60
  ENGINE_PID=""
  if [ -n "$PG_STARTED_BY_US" ]; then
    log "stopping PostgreSQL cluster $PG_CLUSTER_VER/$PG_CLUSTER_NAME (started by this script)"
    pg_ctlcluster "$PG_CLUSTER_VER" "$PG_CLUSTER_NAME" stop || true
  fi
  # the logs stay (the summary points at them); the engine's data directory goes unless KEEP_TMP=1
  if [ "$KEEP_TMP" != 1 ]; then rm -rf "$WORK/engine-data"; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else sudo -n -u postgres "$@"; fi
}

# ---- PostgreSQL for the baseline ---------------------------------------------------------------------------------

setup_debian_postgres() {
  command -v pg_lsclusters >/dev/null ||
    die "no BASELINE_DATABASE_URL and no Debian PostgreSQL: apt-get install -y postgresql (or point BASELINE_DATABASE_URL at a server)"
  local line
  if [ -n "${PG_CLUSTER:-}" ]; then
    line="$(pg_lsclusters -h | awk -v v="${PG_CLUSTER%/*}" -v n="${PG_CLUSTER#*/}" '$1==v && $2==n' | sed -n 1p)"
  else
    line="$(pg_lsclusters -h | sed -n 1p)"
  fi
  [ -n "$line" ] || die "no PostgreSQL cluster found by pg_lsclusters (pg_createcluster 15 main)"
  read -r PG_CLUSTER_VER PG_CLUSTER_NAME PG_PORT PG_STATUS _ <<<"$line"
  if [ "$PG_STATUS" != online ]; then
    log "starting PostgreSQL cluster $PG_CLUSTER_VER/$PG_CLUSTER_NAME"
    pg_ctlcluster "$PG_CLUSTER_VER" "$PG_CLUSTER_NAME" start
    PG_STARTED_BY_US=1
  fi
  as_postgres psql -p "$PG_PORT" -qv ON_ERROR_STOP=1 -c \
    "DO \$\$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='baseline') THEN CREATE ROLE baseline LOGIN PASSWORD 'baseline'; END IF; END\$\$;"
  if [ "$(as_postgres psql -p "$PG_PORT" -tAc "SELECT 1 FROM pg_database WHERE datname='baseline'")" != 1 ]; then
    as_postgres createdb -p "$PG_PORT" -O baseline baseline
  fi
  # every run starts from an empty table (the baseline creates it when missing)
  as_postgres psql -p "$PG_PORT" -d baseline -qc \
    "DO \$\$BEGIN IF to_regclass('public.baseline_messages') IS NOT NULL THEN TRUNCATE baseline_messages; END IF; END\$\$;"
  export BASELINE_DATABASE_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/baseline"
  export BASELINE_DATABASE_USER=baseline BASELINE_DATABASE_PASSWORD=baseline
}

# ---- Gatling ------------------------------------------------------------------------------------------------------

# one Gatling run of the simulation; its console output goes to the log file
gatling() { # log-file base-url provision(true|false) rate duration-seconds run-id min-success-percent
  # shellcheck disable=SC2086
  timeout --signal=TERM --kill-after=30 "$GATLING_TIMEOUT" \
    mvn $MVN_ARGS -pl load-tests test-compile gatling:test \
      -Dgatling.simulationClass="$SIMULATION" \
      -DbaseUrl="$2" -Dprovision="$3" -DoperatorKey="$OPERATOR_KEY" -DappSecret="$META_APP_SECRET" \
      -Drate="$4" -DdurationSeconds="$5" -DrampSeconds="$RAMP_SECONDS" \
      -Dtenants="$TENANTS" -DleadsPerTenant="$LEADS_PER_TENANT" -DminSuccessPercent="$7" \
      -DrunId="$6" >"$1" 2>&1
}

warm_up() { # name base-url provision(true|false)
  [ "$WARMUP_SECONDS" -gt 0 ] || return 0
  log "warm-up against $1: $WARMUP_RATE users/s for ${WARMUP_SECONDS}s (not measured)"
  gatling "$WORK/gatling-$1-warmup.log" "$2" "$3" "$WARMUP_RATE" "$WARMUP_SECONDS" "warm$(date +%s%3N)" 0 || true
  grep -E 'request count|99th percentile' "$WORK/gatling-$1-warmup.log" | head -2 || true
}

run_simulation() { # name base-url provision(true|false)
  local name="$1" url="$2" provision="$3" logf="$WORK/gatling-$1.log" rc=0
  log "Gatling against $name ($url): $RATE users/s for ${DURATION_SECONDS}s after a ${RAMP_SECONDS}s ramp"
  gatling "$logf" "$url" "$provision" "$RATE" "$DURATION_SECONDS" "$(date +%s%3N)" "$MIN_SUCCESS_PERCENT" || rc=$?
  RESULT_LOG[$name]="$logf"
  RESULT_RC[$name]=$rc
  sed -n '/---- Global Information/,/^=====/p' "$logf"
  grep -E 'Global: percentage' "$logf" || true
  [ $rc -eq 0 ] || echo "Gatling run against $name ended with exit code $rc (log: $logf)"
}

# one line of numbers out of the console summary of a Gatling log
summary_line() { # name
  local logf="${RESULT_LOG[$1]:-}"
  if [ -z "$logf" ] || ! grep -q -- '---- Global Information' "$logf"; then
    printf '%-9s %s\n' "$1" "no Gatling summary (exit code ${RESULT_RC[$1]:-not run}; log: ${logf:-none})"
    return
  fi
  sed -n '/---- Global Information/,/^=====/p' "$logf" | awk -F'|' -v name="$1" -v rc="${RESULT_RC[$1]}" '
    function num(s) { gsub(/[ ,]/, "", s); return (s == "-" || s == "") ? 0 : s }
    /request count/      { total = num($2); ok = num($3); ko = num($4) }
    /50th percentile/    { p50 = num($2) }
    /95th percentile/    { p95 = num($2) }
    /99th percentile/    { p99 = num($2) }
    /max response time/  { max = num($2) }
    /mean throughput/    { rps = num($2); okrps = num($3) }
    END { printf "%-9s %10s %10s %8s %9s %9s %6s %6s %6s %7s %4s\n", name, total, ok, ko, rps, okrps, p50, p95, p99, max, rc }'
}

report_dir() { # name
  local logf="${RESULT_LOG[$1]:-}"
  [ -n "$logf" ] && grep -o 'file://[^ ]*index.html' "$logf" | tail -1 | sed 's|^file://||; s|/index.html$||' || true
}

# ---- 0. build -----------------------------------------------------------------------------------------------------

ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$SKIP_BUILD" != 1 ]; then
  log "building (mvn -q -DskipTests install)"
  # shellcheck disable=SC2086
  timeout 1800 mvn $MVN_ARGS -q -DskipTests install
fi

# ---- 1. raw baseline ----------------------------------------------------------------------------------------------

if [ "$RUN_BASELINE" = 1 ]; then
  [ -f "$BASELINE_JAR" ] || die "$BASELINE_JAR missing: build first (SKIP_BUILD=0)"
  port_free "$BASELINE_PORT" || die "port $BASELINE_PORT is in use"
  if [ -n "${BASELINE_DATABASE_URL:-}" ]; then
    log "baseline database: $BASELINE_DATABASE_URL (given)"
  else
    setup_debian_postgres
    log "baseline database: $BASELINE_DATABASE_URL (Debian cluster $PG_CLUSTER_VER/$PG_CLUSTER_NAME)"
  fi
  log "starting the raw baseline on 127.0.0.1:$BASELINE_PORT"
  # shellcheck disable=SC2086
  BASELINE_HOST=127.0.0.1 BASELINE_PORT="$BASELINE_PORT" \
    java $BASELINE_JAVA_OPTS -jar "$BASELINE_JAR" >"$WORK/baseline.log" 2>&1 &
  BASELINE_PID=$!
  wait_http_200 "http://127.0.0.1:$BASELINE_PORT/ready" 60 "$BASELINE_PID" baseline
  warm_up baseline "http://127.0.0.1:$BASELINE_PORT" false
  run_simulation baseline "http://127.0.0.1:$BASELINE_PORT" false
  stop_pid "$BASELINE_PID" baseline 20
  BASELINE_PID=""
  tail -1 "$WORK/baseline.log" || true
fi

# ---- 2. engine ----------------------------------------------------------------------------------------------------

if [ "$RUN_ENGINE" = 1 ]; then
  [ -f "$ENGINE_JAR" ] || die "$ENGINE_JAR missing: build the http module first"
  port_free "$ENGINE_HTTP_PORT" || die "port $ENGINE_HTTP_PORT is in use"
  port_free "$ENGINE_CLUSTER_PORT" || die "port $ENGINE_CLUSTER_PORT is in use"
  mkdir -p "$WORK/engine-data"
  engine_env=(
    FLEXORAA_DATA_DIR="$WORK/engine-data"
    FLEXORAA_HTTP_HOST=127.0.0.1 FLEXORAA_HTTP_PORT="$ENGINE_HTTP_PORT"
    FLEXORAA_CLUSTER_HOST=127.0.0.1 FLEXORAA_CLUSTER_PORT="$ENGINE_CLUSTER_PORT"
    FLEXORAA_OPERATOR_KEY="$OPERATOR_KEY" META_APP_SECRET="$META_APP_SECRET"
  )
  if [ "$ENGINE_DATABASE" = debian ]; then
    [ -n "$PG_CLUSTER_VER" ] || setup_debian_postgres
    engine_db="flexoraa_bench_$(date +%s)"
    as_postgres createdb -p "$PG_PORT" -O baseline "$engine_db"
    engine_env+=(DATABASE_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/$engine_db" DATABASE_USER=baseline DATABASE_PASSWORD=baseline)
    log "engine database: $engine_db on the Debian cluster (dropped at the end only by hand)"
  fi
  log "starting the engine on 127.0.0.1:$ENGINE_HTTP_PORT (data dir $WORK/engine-data)"
  # shellcheck disable=SC2086
  env -u FLEXORAA_SEED_NODES -u DATABASE_URL "${engine_env[@]}" \
    java $ENGINE_JAVA_OPTS -jar "$ENGINE_JAR" >"$WORK/engine.log" 2>&1 &
  ENGINE_PID=$!
  wait_http_200 "http://127.0.0.1:$ENGINE_HTTP_PORT/ready" "$ENGINE_READY_TIMEOUT" "$ENGINE_PID" engine
  grep -m1 -i 'ready at' "$WORK/engine.log" || true
  warm_up engine "http://127.0.0.1:$ENGINE_HTTP_PORT" true
  run_simulation engine "http://127.0.0.1:$ENGINE_HTTP_PORT" true
  stop_pid "$ENGINE_PID" engine 60
  ENGINE_PID=""
fi

# ---- 3. results ---------------------------------------------------------------------------------------------------

log "results: $RATE users/s offered for ${DURATION_SECONDS}s (+${RAMP_SECONDS}s ramp), $TENANTS tenants x $LEADS_PER_TENANT leads"
printf '%-9s %10s %10s %8s %9s %9s %6s %6s %6s %7s %4s\n' \
  run requests OK KO 'req/s' 'OK req/s' p50ms p95ms p99ms maxms rc
status=0
for name in baseline engine; do
  if [ "$name" = baseline ] && [ "$RUN_BASELINE" != 1 ]; then continue; fi
  if [ "$name" = engine ] && [ "$RUN_ENGINE" != 1 ]; then continue; fi
  summary_line "$name"
  [ "${RESULT_RC[$name]:-1}" = 0 ] || status=1
done
echo "(req/s = Gatling's mean throughput over the whole run, ramp included)"
for name in baseline engine; do
  dir="$(report_dir "$name")"
  [ -n "$dir" ] && echo "$name report: $dir/index.html (console log: ${RESULT_LOG[$name]})"
done
echo "server logs: $WORK"
exit $status
