#!/usr/bin/env bash
# Starts N engine nodes on this machine as one Pekko cluster against one PostgreSQL (DATABASE_URL, required).
# Node i: cluster port 2561i, HTTP port 808i, data dir ./data-node-i. Stop them all with: pkill -TERM -f flexoraa-engine.jar
# Usage: DATABASE_URL=jdbc:postgresql://127.0.0.1:5432/flexoraa DATABASE_USER=... DATABASE_PASSWORD=... \
#        META_APP_SECRET=... cluster-config/start-local-cluster.sh [nodes, default 2]
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?a shared PostgreSQL is required: every node writes the same journal}"
nodes="${1:-2}"
jar=http/target/flexoraa-engine.jar
[ -f "$jar" ] || mvn -q package -DskipTests
export FLEXORAA_OPERATOR_KEY="${FLEXORAA_OPERATOR_KEY:-op_local_cluster_$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')}"
# one password for the API's database role on every node: a node that generated its own would reset it under the others
export DATABASE_APP_PASSWORD="${DATABASE_APP_PASSWORD:-$(od -An -N24 -tx1 /dev/urandom | tr -d ' \n')}"
# one signing key for users' access tokens, so a token issued by one node is accepted by every node
export FLEXORAA_JWT_SECRET="${FLEXORAA_JWT_SECRET:-$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')}"
seeds=""
for i in $(seq 1 "$nodes"); do seeds="${seeds:+$seeds,}pekko://flexoraa@127.0.0.1:$((25610 + i))"; done

start_node() { # i
  mkdir -p "data-node-$1"
  FLEXORAA_DATA_DIR="data-node-$1" FLEXORAA_CLUSTER_PORT=$((25610 + $1)) FLEXORAA_HTTP_PORT=$((8080 + $1)) \
    FLEXORAA_SEED_NODES="$seeds" nohup java -jar "$jar" > "data-node-$1/engine.log" 2>&1 &
  echo "node $1: http://localhost:$((8080 + $1)) (log data-node-$1/engine.log)"
}

# every node must read personal data with the same master key: node 1 creates it on first start, the rest get it
start_node 1
if [ -z "${FLEXORAA_MASTER_KEY:-}" ]; then
  for _ in $(seq 1 120); do [ -s data-node-1/master-key.json ] && break; sleep 0.5; done
  [ -s data-node-1/master-key.json ] || { echo "node 1 created no master key; see data-node-1/engine.log" >&2; exit 1; }
  FLEXORAA_MASTER_KEY="$(base64 -w0 data-node-1/master-key.json)"
  export FLEXORAA_MASTER_KEY
fi
for i in $(seq 2 "$nodes"); do start_node "$i"; done
echo "operator key: $FLEXORAA_OPERATOR_KEY"
