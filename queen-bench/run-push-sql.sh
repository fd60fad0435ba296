#!/usr/bin/env bash
# push_v1 alone, over SQL, without the server: pgbench calls it with batches built as the engine
# builds them (JSON text cast to jsonb: one item per message, ~60-byte payloads, UUIDv7-like ids),
# against queen.push_v1 (the steady-state path) and queen._push_general (the path for every other
# batch, which was push_v1 before issue 12). A fresh database; queen-server.jar creates the schema
# and 100 partitions of queue `bq` with one push, then stops; the database is dropped at the end.
#
#   queen-bench/run-push-sql.sh                 # the default cases, 10 s each
#   SECONDS_EACH=20 CASES="1:1000:10 2:1000:10" queen-bench/run-push-sql.sh
#
# CASES: clients:items per call:partitions per call, separated by spaces. "build only" is the
# cost of making the items text in SQL, paid by every case (subtract it to get push_v1's own).
# Environment: PGHOST (127.0.0.1) PGPORT (5432) PGUSER (postgres) SERVER_JAR PORT (6653)
set -euo pipefail
cd "$(dirname "$0")/.."
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
PORT=${PORT:-6653}
SERVER_JAR=${SERVER_JAR:-queen-server/target/queen-server.jar}
SECONDS_EACH=${SECONDS_EACH:-10}
CASES=${CASES:-1:100:1 1:200:20 1:1000:10 2:1000:10}
DB=queen_pushsql_$(date +%s)_$$
WORK=$(mktemp -d)
PSQL=(psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -qAt -v ON_ERROR_STOP=1)
SERVER_PID=
cleanup() {
  [[ -n "$SERVER_PID" ]] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" || true
  rm -rf "$WORK"
}
trap cleanup EXIT
"${PSQL[@]}" -d postgres -c "CREATE DATABASE $DB"

PG_HOST=$PGHOST PG_PORT=$PGPORT PG_DB=$DB PG_USER=$PGUSER HOST=127.0.0.1 PORT=$PORT LOG_LEVEL=warn \
  FILE_BUFFER_DIR="$WORK/buffer" java -Xmx64m -jar "$SERVER_JAR" > "$WORK/server.log" 2>&1 &
SERVER_PID=$!
for i in $(seq 1 120); do
  curl -sf --max-time 1 "http://127.0.0.1:$PORT/health" > /dev/null && break
  [[ $i == 120 ]] && { echo "server did not start:"; cat "$WORK/server.log"; exit 1; }
  sleep 0.5
done
items=$(for p in $(seq 0 99); do printf '{"queue":"bq","partition":"p%d","payload":{"x":1}}\n' "$p"; done | paste -sd, -)
curl -sf -X POST -H 'content-type: application/json' --data "{\"items\":[$items]}" \
  "http://127.0.0.1:$PORT/api/v1/push" > /dev/null
kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=

"${PSQL[@]}" -d "$DB" <<'SQL'
CREATE SEQUENCE public.bench_ids;
-- n items over `parts` partitions (p0 + k mod 100), as the engine's JSON: each id a fresh
-- increasing UUID, the transaction id the same text
CREATE FUNCTION public.bench_items(n int, parts int, p0 int) RETURNS text LANGUAGE sql AS $$
  SELECT '[' || string_agg(format('{"i":%s,"q":"bq","p":"p%s","mid":"%s","tx":"%s","pl":{"id":%s,"data":"%s"}}',
        g, (p0 + g % parts) % 100, u, u, g, repeat('x', 40)), ',') || ']'
  FROM (SELECT g, lpad(to_hex(nextval('public.bench_ids')), 32, '0')::uuid AS u
          FROM generate_series(0, n - 1) g) s
$$;
SQL
for f in push_v1 _push_general; do
  printf '\\set p random(0, 99)\nSELECT count(*) FROM queen.%s(public.bench_items(:n, :parts, :p)::jsonb, now(), false, NULL, NULL);\n' "$f" > "$WORK/$f.sql"
done
printf '\\set p random(0, 99)\nSELECT length(public.bench_items(:n, :parts, :p)::jsonb::text);\n' > "$WORK/build.sql"

echo "PostgreSQL $("${PSQL[@]}" -d "$DB" -c 'SHOW server_version'), synchronous_commit=$("${PSQL[@]}" -d "$DB" -c 'SHOW synchronous_commit'), ${SECONDS_EACH} s per case"
printf '%-8s %-6s %-10s %-16s %12s %12s\n' clients items partitions function calls/s msg/s
for c in $CASES; do
  IFS=: read -r clients n parts <<< "$c"
  for f in build push_v1 _push_general; do
    tps=$(pgbench -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -n -c "$clients" -j "$clients" -T "$SECONDS_EACH" \
      -D n="$n" -D parts="$parts" -f "$WORK/$f.sql" "$DB" 2>&1 | awk '/^tps/ {print $3}')
    name=$f; [[ $f == build ]] && name="build only"
    printf '%-8s %-6s %-10s %-16s %12.0f %12.0f\n' "$clients" "$n" "$parts" "$name" "$tps" "$(echo "$tps * $n" | bc)"
  done
done
