# Shared by the benchmark scripts that start servers (sourced, not run): logging, and starting and stopping only
# the processes the script itself started, by pid — never by name.

log() { printf '\n=== %s %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

stop_pid() { # pid name grace-seconds: SIGTERM, then SIGKILL after the grace
  local pid="$1" name="$2" grace="$3"
  [ -n "$pid" ] || return 0
  kill -0 "$pid" 2>/dev/null || return 0
  log "stopping $name (pid $pid, SIGTERM)"
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 $((grace * 2))); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    sleep 0.5
  done
  echo "$name did not stop within ${grace}s: SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

wait_http_200() { # url timeout-seconds pid name: until the url answers 200, or the process exits
  local url="$1" timeout="$2" pid="$3" name="$4"
  local deadline=$((SECONDS + timeout))
  while [ $SECONDS -lt $deadline ]; do
    kill -0 "$pid" 2>/dev/null || die "$name exited before it was ready (see its log)"
    if [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url" || true)" = 200 ]; then
      return 0
    fi
    sleep 0.5
  done
  die "$name not ready at $url within ${timeout}s"
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
