#!/usr/bin/env bash
# Where PostgreSQL's time goes by function during push-and-consume: a fresh database with
# track_functions = 'all', a fresh server, a 15 s both-b10 warm-up, the statistics reset, a 10 s
# both-b10 run (the matrix's parameters), then pg_stat_user_functions (wall times, which on a busy
# 2-core machine include waiting for a core) and the transactions committed. Drops the database.
#
#   queen-bench/run-function-profile.sh
#
# Environment: PGHOST (127.0.0.1) PGPORT (5432) PGUSER (postgres) PORT (6654)
#   SERVER_JAVA_OPTS ("-Xmx64m -XX:+UseSerialGC")
set -euo pipefail
cd "$(dirname "$0")/.."
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
PORT=${PORT:-6654}
SERVER_JAVA_OPTS=${SERVER_JAVA_OPTS:--Xmx64m -XX:+UseSerialGC}
DB=queen_fnprofile_$(date +%s)_$$
WORK=$(mktemp -d)
PSQL=(psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -v ON_ERROR_STOP=1)
SP=
cleanup() {
  [[ -n "$SP" ]] && kill "$SP" 2>/dev/null && wait "$SP" 2>/dev/null || true
  "${PSQL[@]}" -qAt -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" || true
  rm -rf "$WORK"
}
trap cleanup EXIT
"${PSQL[@]}" -qAt -d postgres -c "CREATE DATABASE $DB" -c "ALTER DATABASE $DB SET track_functions = 'all'"
# shellcheck disable=SC2086
env PG_HOST="$PGHOST" PG_PORT="$PGPORT" PG_DB="$DB" PG_USER="$PGUSER" HOST=127.0.0.1 PORT="$PORT" \
  LOG_LEVEL=warn FILE_BUFFER_DIR="$WORK/buffer" java $SERVER_JAVA_OPTS -jar queen-server/target/queen-server.jar \
  > "$WORK/server.log" 2>&1 &
SP=$!
for i in $(seq 1 120); do
  curl -sf --max-time 1 "http://127.0.0.1:$PORT/health" > /dev/null && break
  [[ $i == 120 ]] && { echo "server did not start:"; cat "$WORK/server.log"; exit 1; }
  sleep 0.5
done
L=(java -Xmx256m -XX:TieredStopAtLevel=1 -jar queen-bench/target/queen-load.jar --url "http://127.0.0.1:$PORT" --json
   --mode both --batch 10 --partitions 100 --connections 20 --consumer-connections 10 --auto-ack --wait --wait-timeout 1000)
"${L[@]}" --duration 15 --queue-prefix warm > /dev/null 2>&1
"${PSQL[@]}" -qAt -d "$DB" -c "SELECT pg_stat_reset()" > /dev/null
"${L[@]}" --duration 10 --queue-prefix measured 2>/dev/null | python3 -c 'import json,sys; d=json.load(sys.stdin); print("pushed", round(d["push"]["messagesPerSecond"]), "msg/s; consumed", round(d["pop"]["messagesPerSecond"]), "msg/s;", round(d["pop"]["requestsPerSecond"]), "pops/s; verification", "passed" if d["verification"]["passed"] else "FAILED")'
"${PSQL[@]}" -d "$DB" -c "SELECT funcname, calls, round(total_time::numeric) AS total_ms, round(self_time::numeric) AS self_ms, round((total_time / calls)::numeric, 3) AS ms_per_call FROM pg_stat_user_functions WHERE calls > 0 ORDER BY total_time DESC" \
  -c "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"
