#!/usr/bin/env bash
# The operations API at scale: starts a fresh queen-server on a fresh PostgreSQL database, loads
# at least MESSAGES messages into PARTITIONS partitions of one queue (queen-load, push batch 100,
# rounds of 60 s), consumes
# a part of them in queue mode and with one named group (so that cursors with lag exist on every
# partition), then runs the standard push load (batch 10, 20 connections, 100 partitions of a
# queue of its own) for DURATION seconds
# while probing the admin routes one after another once a second, and reports each route's latency
# (p50/p95/p99/max, curl's time_total on loopback) and the push throughput during the probes.
# Bounded: every step has a timeout; a default run takes about 10 minutes.
#
#   queen-bench/run-admin-scale.sh
#   MESSAGES=1000000 PARTITIONS=1000 DURATION=30 queen-bench/run-admin-scale.sh
#   KEEP_DB=1 queen-bench/run-admin-scale.sh          # keeps the loaded database, prints its name
#   DB=queen_scale_... queen-bench/run-admin-scale.sh # probes a kept database again (no fill)
#
# Environment: PGHOST PGPORT PGUSER (127.0.0.1, 5432, postgres) PORT (6670) MESSAGES (5000000)
#   PARTITIONS (10000) DURATION (60) PROBE_INTERVAL (s between rounds of probes, 1) OUT (queen-bench/target/admin-scale) BUILD=1 rebuilds;
#   STATS_INTERVAL_MS is passed to the server; KEEP_DB=1 does not drop the database at the end; DB names one to reuse (its fill is skipped,
#   and its live queue is dropped first, so every run probes the same data under a fresh load).
set -euo pipefail
cd "$(dirname "$0")/.."

PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
PORT=${PORT:-6670}
MESSAGES=${MESSAGES:-5000000}
PARTITIONS=${PARTITIONS:-10000}
DURATION=${DURATION:-60}
PROBE_INTERVAL=${PROBE_INTERVAL:-1}
OUT=${OUT:-queen-bench/target/admin-scale}
LOAD_JAR=queen-bench/target/queen-load.jar
SERVER_JAR=queen-server/target/queen-server.jar
REUSE=0
if [[ -n "${DB:-}" ]]; then REUSE=1; KEEP_DB=1; else DB=queen_scale_$(date +%s)_$$; fi
[[ $DB =~ ^[a-z0-9_]+$ ]] || { echo "DB must be a plain database name, was '$DB'" >&2; exit 2; }
URL=http://127.0.0.1:$PORT
QUEUE=scale-0
LOAD=(java -Xmx512m -XX:TieredStopAtLevel=1 -jar "$LOAD_JAR" --url "$URL" --queue-prefix scale
  --queues 1 --partitions "$PARTITIONS")  # the probed queue, scale-0

for v in MESSAGES PARTITIONS DURATION PROBE_INTERVAL; do
  [[ ${!v} =~ ^[0-9]+$ ]] || { echo "$v must be a non-negative integer, was '${!v}'" >&2; exit 2; }
done
if [[ "${BUILD:-0}" == 1 || ! -f $LOAD_JAR || ! -f $SERVER_JAR ]]; then
  mvn -B -ntp -q -DskipTests package -pl queen-bench -am
fi
rm -rf "$OUT"
mkdir -p "$OUT"
PSQL=(timeout 600 psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -qAt -v ON_ERROR_STOP=1)
"${PSQL[@]}" -d postgres -c "CREATE DATABASE $DB" 2>/dev/null || (( REUSE )) \
  || { echo "could not create database $DB" >&2; exit 1; }
SERVER_PID=
cleanup() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" || true
    for _ in $(seq 1 150); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  if [[ "${KEEP_DB:-0}" == 1 ]]; then
    echo "kept database $DB (DB=$DB $0 probes it again; drop it with: psql -c 'DROP DATABASE $DB')"
  else
    "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" || true
  fi
}
trap cleanup EXIT

env PG_HOST="$PGHOST" PG_PORT="$PGPORT" PG_DB="$DB" PG_USER="$PGUSER" HOST=127.0.0.1 PORT="$PORT" \
  ${STATS_INTERVAL_MS:+STATS_INTERVAL_MS=$STATS_INTERVAL_MS} \
  LOG_LEVEL=warn java -Xmx128m -jar "$SERVER_JAR" > "$OUT/server.log" 2>&1 &
SERVER_PID=$!
for i in $(seq 1 120); do
  if curl -sf --max-time 1 "$URL/health" > /dev/null; then break; fi
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then cat "$OUT/server.log"; exit 1; fi
  if [[ $i == 120 ]]; then echo "server did not become healthy"; exit 1; fi
  sleep 0.5
done

if (( ! REUSE )); then
  echo "== loading $MESSAGES messages into $PARTITIONS partitions"
  start=$(date +%s)
  stored=0
  # queen-load numbers its transaction ids from 0 in every run, so each round needs a queue of its own
  # (a second run into the same queue would be refused as duplicates).
  for round in $(seq 0 9); do
    left=$(( MESSAGES - stored ))
    timeout 1200 java -Xmx512m -XX:TieredStopAtLevel=1 -jar "$LOAD_JAR" --url "$URL" \
      --queue-prefix "scale$([[ $round == 0 ]] || echo "-r$round")" --queues 1 --partitions "$PARTITIONS" \
      --mode producer --batch 100 --connections 20 --duration $(( left / 12000 + 20 )) \
      > "$OUT/fill-$round.txt" 2>&1 || { tail -20 "$OUT/fill-$round.txt"; exit 1; }
    stored=$("${PSQL[@]}" -d "$DB" -c "SELECT coalesce(sum(pa.last_seq - coalesce(r.removed, 0)), 0) FROM queen.partitions pa LEFT JOIN queen.partition_removals r ON r.partition_id = pa.id")
    echo "   $stored stored after $(( $(date +%s) - start )) s"
    (( stored >= MESSAGES )) && break
  done
  echo "== consuming a part: queue mode and group 'audit' (cursors with lag on every partition)"
  for group in "" audit; do
    args=(--mode consumer --duration 20 --batch 10 --consumer-connections 10 --auto-ack --no-verify)
    [[ -n $group ]] && args+=(--consumer-groups 1 --group-prefix "$group")
    timeout 120 "${LOAD[@]}" "${args[@]}" > "$OUT/consume-${group:-queue}.txt" 2>&1 || true
  done
else
  echo "== reusing $DB: dropping its live queue"
  curl -sf -X DELETE --max-time 600 "$URL/api/v1/resources/queues/scale-live-0" > /dev/null || true
fi
# what autovacuum (off on this box) would have done by now
"${PSQL[@]}" -d "$DB" -c "VACUUM ANALYZE queen.messages" -c "VACUUM ANALYZE queen.partition_consumers" \
  -c "VACUUM ANALYZE queen.partitions" -c "VACUUM ANALYZE queen.partition_removals"
ROWS=$("${PSQL[@]}" -d "$DB" -c "SELECT count(*) FROM queen.messages")
CURSORS=$("${PSQL[@]}" -d "$DB" -c "SELECT count(*) FROM queen.partition_consumers")
echo "   $ROWS messages stored, $CURSORS cursors"

ROUTES=("/api/v1/resources/overview" "/api/v1/resources/queues" "/api/v1/status/queues"
  "/api/v1/consumer-groups" "/api/v1/messages?queue=$QUEUE")
echo "== push load for $DURATION s while probing ${#ROUTES[@]} routes"
# the standard push-b10 load, into a queue of its own (the loaded queues' ids are taken)
timeout $((DURATION + 120)) java -Xmx512m -XX:TieredStopAtLevel=1 -jar "$LOAD_JAR" --url "$URL" \
  --queue-prefix scale-live --queues 1 --partitions 100 --mode producer --batch 10 \
  --connections 20 --duration "$DURATION" --json > "$OUT/push.json" 2> "$OUT/push.txt" &
LOAD_PID=$!
sleep 5 # let the load reach its rate
: > "$OUT/probes.csv"
deadline=$(( $(date +%s) + DURATION - 10 ))
# one round of probes per PROBE_INTERVAL seconds, as a dashboard polls (back to back, the probes
# would be a load of their own and the push figure would measure them)
while (( $(date +%s) < deadline )); do
  round_start=$(date +%s.%N)
  for r in "${ROUTES[@]}"; do
    t=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' --max-time 10 "$URL$r") || true
    [[ $t =~ ^[0-9]{3}\ [0-9.]+$ ]] || t="000 10"  # curl gave up (10 s): counted as 10 s
    echo "$r,${t% *},${t#* }" >> "$OUT/probes.csv"
  done
  sleep "$(python3 -c "import time; print(max(0, $PROBE_INTERVAL - (time.time() - $round_start)))")"
done
wait "$LOAD_PID" || true
python3 - "$OUT" "$ROWS" "$CURSORS" "$PARTITIONS" <<'PY'
import csv, json, sys
out, rows, cursors, parts = sys.argv[1:5]
by = {}
bad = 0
for route, code, t in csv.reader(open(f"{out}/probes.csv")):
    if code != "200":
        bad += 1
    by.setdefault(route, []).append(float(t) * 1000)
def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))]
lines = [f"{int(rows):,} messages in {int(parts):,} partitions, {int(cursors):,} cursors; "
         f"probes under the push load (non-200 answers: {bad})", "",
         "| route | probes | p50 ms | p95 ms | p99 ms | max ms |", "|---|---:|---:|---:|---:|---:|"]
for route, v in by.items():
    lines.append(f"| `{route}` | {len(v)} | {pct(v,50):.1f} | {pct(v,95):.1f} | {pct(v,99):.1f} | {max(v):.1f} |")
try:
    push = json.load(open(f"{out}/push.json"))
    lines += ["", f"push during the probes: {push['push']['messagesPerSecond']:,.0f} msg/s"]
except Exception as e:
    lines += ["", f"push during the probes: unknown ({e})"]
text = "\n".join(lines) + "\n"
open(f"{out}/summary.md", "w").write(text)
print(text)
PY
