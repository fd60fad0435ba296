#!/usr/bin/env bash
# Steady-state benchmark of the message lifecycle: pushes and consumes at a fixed rate for
# DURATION seconds on a queue with completedRetentionSeconds (RETENTION=1, the default) or without
# retention (RETENTION=0, the comparison run), sampling the size of queen.messages every SAMPLE
# seconds. Starts a fresh queen-server on a fresh database, stops it and drops the database at the
# end (bounded). Writes OUT/samples.csv, OUT/load.json, OUT/summary.md and prints the summary.
#
#   queen-bench/run-steady-state.sh                        # 600 s at 7000 msg/s, with retention
#   RETENTION=0 queen-bench/run-steady-state.sh            # the same without retention
#   RATE=5000 DURATION=300 SAMPLE=15 queen-bench/run-steady-state.sh
#
# Environment: PGHOST (127.0.0.1) PGPORT (5432) PGUSER (postgres) PORT (6660) RATE (7000)
#   DURATION (600) SAMPLE (30) RETENTION (1) COMPLETED_RETENTION_SECONDS (60)
#   RETENTION_INTERVAL (10000 ms) RETENTION_BATCH_SIZE (5000) VACUUM_EVERY (0: never; else the
#   script VACUUMs queen.messages every N seconds, standing in for autovacuum when it is off)
#   OUT (queen-bench/target/steady-state[-noretention])
set -euo pipefail
cd "$(dirname "$0")/.."

PGHOST=${PGHOST:-127.0.0.1}; PGPORT=${PGPORT:-5432}; PGUSER=${PGUSER:-postgres}
PORT=${PORT:-6660}; RATE=${RATE:-7000}; DURATION=${DURATION:-600}; SAMPLE=${SAMPLE:-30}
RETENTION=${RETENTION:-1}; CRS=${COMPLETED_RETENTION_SECONDS:-60}
RETENTION_INTERVAL=${RETENTION_INTERVAL:-10000}; RETENTION_BATCH_SIZE=${RETENTION_BATCH_SIZE:-5000}
VACUUM_EVERY=${VACUUM_EVERY:-0}
OUT=${OUT:-queen-bench/target/steady-state$([[ $RETENTION == 1 ]] || echo -noretention)}
LOAD_JAR=queen-bench/target/queen-load.jar; SERVER_JAR=queen-server/target/queen-server.jar
DB=queen_steady_$(date +%s)_$$; URL=http://127.0.0.1:$PORT; PREFIX=steady
[[ -f $LOAD_JAR && -f $SERVER_JAR ]] || mvn -B -ntp -q -DskipTests package -pl queen-bench -am

rm -rf "$OUT"; mkdir -p "$OUT"
PSQL=(psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -qAt -v ON_ERROR_STOP=1)
"${PSQL[@]}" -d postgres -c "CREATE DATABASE $DB"
SERVER_PID=; LOAD_PID=
cleanup() {
  [[ -n "$LOAD_PID" ]] && kill "$LOAD_PID" 2>/dev/null || true
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" || true
    for _ in $(seq 1 150); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" || true
}
trap cleanup EXIT

env PG_HOST="$PGHOST" PG_PORT="$PGPORT" PG_DB="$DB" PG_USER="$PGUSER" HOST=127.0.0.1 PORT="$PORT" \
  LOG_LEVEL=warn RETENTION_INTERVAL="$RETENTION_INTERVAL" RETENTION_BATCH_SIZE="$RETENTION_BATCH_SIZE" \
  java -Xmx128m -jar "$SERVER_JAR" > "$OUT/server.log" 2>&1 &
SERVER_PID=$!
for i in $(seq 1 120); do
  curl -sf --max-time 1 "$URL/health" > /dev/null && break
  kill -0 "$SERVER_PID" 2>/dev/null || { cat "$OUT/server.log"; exit 1; }
  [[ $i == 120 ]] && { echo "server did not become healthy"; exit 1; }
  sleep 0.5
done
if [[ $RETENTION == 1 ]]; then
  OPTIONS="{\"completedRetentionSeconds\":$CRS}"
else
  OPTIONS="{}"
fi
curl -sf -X POST "$URL/api/v1/configure" -H 'content-type: application/json' \
  -d "{\"queue\":\"$PREFIX-0\",\"options\":$OPTIONS}" > "$OUT/configure.json"

java -Xmx256m -XX:TieredStopAtLevel=1 -jar "$LOAD_JAR" --url "$URL" --json --mode both \
  --duration "$DURATION" --rate "$RATE" --batch 10 --partitions 100 --connections 20 \
  --consumer-connections 10 --auto-ack --wait --wait-timeout 1000 --no-verify \
  --queue-prefix "$PREFIX" > "$OUT/load.json" 2> "$OUT/load.txt" &
LOAD_PID=$!

echo "elapsed_s,messages_total_bytes,messages_heap_bytes,messages_rows,states_bytes,consumers_bytes,removed_total,server_rss_kb" > "$OUT/samples.csv"
start=$(date +%s); last_vacuum=$start
while kill -0 "$LOAD_PID" 2>/dev/null; do
  now=$(date +%s); el=$((now - start))
  if (( el > DURATION * 2 + 180 )); then echo "load did not stop; ending it"; kill "$LOAD_PID"; break; fi
  row=$("${PSQL[@]}" -d "$DB" -F, -c "SELECT pg_total_relation_size('queen.messages'),
      pg_relation_size('queen.messages'), (SELECT count(*) FROM queen.messages),
      pg_total_relation_size('queen.message_states'), pg_total_relation_size('queen.partition_consumers'),
      (SELECT coalesce(sum(count), 0) FROM queen.retention_history
        WHERE kind = 'completed_retention')" 2>/dev/null || echo ",,,,,")
  rss=$(awk '/VmRSS:/ {print $2}' "/proc/$SERVER_PID/status" 2>/dev/null || echo "")
  echo "$el,$row,$rss" >> "$OUT/samples.csv"
  if (( VACUUM_EVERY > 0 && now - last_vacuum >= VACUUM_EVERY )); then
    "${PSQL[@]}" -d "$DB" -c "VACUUM queen.messages" || true; last_vacuum=$now
  fi
  sleep "$SAMPLE"
done
wait "$LOAD_PID" || true; LOAD_PID=
python3 - "$OUT" "$RATE" "$DURATION" "$RETENTION" "$CRS" "$RETENTION_INTERVAL" "$VACUUM_EVERY" <<'PY'
import csv, json, sys
out, rate, duration, retention, crs, interval, vac = sys.argv[1:8]
rows = [r for r in csv.DictReader(open(out + "/samples.csv")) if r["messages_total_bytes"]]
try:
    load = json.load(open(out + "/load.json"))
except Exception:
    load = {}
def mib(b): return f"{int(b) / 1048576:.1f}"
def at(sec):
    c = [r for r in rows if int(r["elapsed_s"]) >= sec]
    return c[0] if c else rows[-1]
lines = [f"rate {rate} msg/s for {duration} s, completedRetentionSeconds {crs if retention == '1' else 'off'},"
         f" RETENTION_INTERVAL {interval} ms, script VACUUM every {vac} s (0 = never)", ""]
def find(d, *keys):
    for k in keys:
        if isinstance(d, dict) and k in d: return d[k]
    return None
push, pop = load.get("push", {}), load.get("pop", {})
lines.append(f"pushed {push.get('messages')} ({push.get('messagesPerSecond')} msg/s),"
             f" consumed {pop.get('messages')} ({pop.get('messagesPerSecond')} msg/s)")
lines.append("")
lines.append("| minute | messages (MiB, total) | heap (MiB) | rows | removed so far |")
lines.append("|---:|---:|---:|---:|---:|")
m = 0
while m * 60 <= int(rows[-1]["elapsed_s"]):
    r = at(m * 60)
    lines.append(f"| {m} | {mib(r['messages_total_bytes'])} | {mib(r['messages_heap_bytes'])} | {r['messages_rows']} | {r['removed_total']} |")
    m += 1
sizes = [int(r["messages_total_bytes"]) for r in rows]
r3 = at(180); base = int(r3["messages_total_bytes"])
after = [int(r["messages_total_bytes"]) for r in rows if int(r["elapsed_s"]) >= 180]
flat = base > 0 and all(abs(x - base) <= 0.15 * base for x in after)
lines.append("")
lines.append(f"max {mib(max(sizes))} MiB; at 3 min {mib(base)} MiB, end {mib(sizes[-1])} MiB;"
             f" within ±15 % of the 3-minute size from then on: {'yes' if flat else 'no'}")
open(out + "/summary.md", "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
