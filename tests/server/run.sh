#!/usr/bin/env bash
# The multi-machine set-up on one machine, with real services on loopback:
#   PostgreSQL (a throw-away cluster) → `prefect server start` on it → `jatsflow deploy`
#   (creates the process work pool, registers both flows from this source folder) →
#   `prefect worker start` → tests/test_server.py triggers deployment runs and checks outputs.
# Everything is torn down on exit, pass or fail; the whole run is bounded in time.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
BIN=$ROOT/.venv/bin
LIMIT=${SERVER_TEST_TIMEOUT:-900}   # seconds for the whole test

say() { echo "test-server: $*"; }

if ! compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; then
  say "installing PostgreSQL"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)

# PostgreSQL refuses to run as root: as root, its cluster belongs to the postgres user.
if [ "$(id -u)" = 0 ]; then as_pg() { runuser -u postgres -- "$@"; }; else as_pg() { "$@"; }; fi
free_port() { "$BIN/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

WORK=$(mktemp -d /tmp/jatsflow-server.XXXXXX)
chmod 755 "$WORK"
PIDS=()
stop() {  # ask politely, then insist: teardown must not hang on a process waiting for the API
  kill "$1" 2>/dev/null || return 0
  for _ in $(seq 30); do kill -0 "$1" 2>/dev/null || break; sleep 1; done
  kill -9 "$1" 2>/dev/null
  wait "$1" 2>/dev/null
}
teardown() {
  set +e
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do stop "${PIDS[i]}"; done  # the worker before the server
  [ -f "$WORK/pg/postmaster.pid" ] && as_pg "$PGBIN/pg_ctl" -D "$WORK/pg" -m fast -w stop >/dev/null
  rm -rf "$WORK"
}
trap teardown EXIT

wait_for() {  # wait_for SECONDS DESCRIPTION COMMAND...
  local until=$((SECONDS + $1)) what=$2; shift 2
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $until ] || { say "$what did not come up"; return 1; }
    sleep 1
  done
}

PGPORT=$(free_port)
install -d -o "$( [ "$(id -u)" = 0 ] && echo postgres || id -un)" -m 700 "$WORK/pg"
as_pg "$PGBIN/initdb" -D "$WORK/pg" -U jatsflow --auth=trust -E UTF8 >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg/server.log" -w start \
  -o "-c listen_addresses=127.0.0.1 -c port=$PGPORT -c unix_socket_directories=''" >/dev/null
"$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U jatsflow prefect
say "PostgreSQL on 127.0.0.1:$PGPORT"

export PREFECT_HOME=$WORK/prefect-home DO_NOT_TRACK=1 PREFECT_SERVER_ANALYTICS_ENABLED=false
API_PORT=$(free_port)
PREFECT_API_DATABASE_CONNECTION_URL="postgresql+asyncpg://jatsflow@127.0.0.1:$PGPORT/prefect" \
  "$BIN/prefect" server start --host 127.0.0.1 --port "$API_PORT" >"$WORK/server.log" 2>&1 &
PIDS+=($!)
export PREFECT_API_URL=http://127.0.0.1:$API_PORT/api
wait_for 180 "the Prefect server" "$BIN/python" -c \
  "import urllib.request; urllib.request.urlopen('$PREFECT_API_URL/health', timeout=2)" \
  || { tail -n 30 "$WORK/server.log"; exit 1; }
say "Prefect server on $PREFECT_API_URL, database PostgreSQL"

"$BIN/jatsflow" deploy --pool jatsflow-test
"$BIN/prefect" worker start --pool jatsflow-test --type process >"$WORK/worker.log" 2>&1 &
PIDS+=($!)

export JATSFLOW_SERVER_TEST=1 JATSFLOW_TEST_PG="postgresql://jatsflow@127.0.0.1:$PGPORT/prefect"
status=0
timeout "$LIMIT" "$BIN/python" -m pytest -q tests/test_server.py || status=$?
[ $status = 0 ] || { say "worker log:"; tail -n 40 "$WORK/worker.log"; }
exit $status
