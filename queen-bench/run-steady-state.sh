#!/usr/bin/env bash
# Steady-state benchmark of the message lifecycle: shows whether retention keeps queen.messages
# bounded. Starts a fresh queen-server on a fresh PostgreSQL database (like run-matrix.sh),
# configures the queue (completedRetentionSeconds + retentionEnabled when RETENTION=1, nothing when
# RETENTION=0: the comparison run), pushes and consumes at a fixed rate with queen-load --mode both
# for DURATION seconds, and every SAMPLE seconds records the tables' sizes, the row count, what
# retention removed and the server's RSS. Then stops the server, drops the database and writes
# OUT/summary.md (printed; made by steady-state-report.py). Bounded: the load runs under a timeout
# of DURATION + DRAIN + 180 s, every wait has a limit; a default run takes about 11 minutes.
#
#   queen-bench/run-steady-state.sh                               # 600 s at 7000 msg/s, retention
#   RETENTION=0 queen-bench/run-steady-state.sh                   # the same without retention
#   RATE=8000 DURATION=300 SAMPLE=10 queen-bench/run-steady-state.sh
#   VACUUM_EVERY=60 queen-bench/run-steady-state.sh               # VACUUM the tables every minute
#
# Environment: PGHOST (127.0.0.1) PGPORT (5432) PGUSER (postgres) PORT (6660) RATE (7000 msg/s:
#   what this 2-core box pushes and consumes at once with room to spare; see docs/benchmarks.md)
#   POP_BATCH (100) DURATION (600 s, at most 3600) SAMPLE (15 s) RETENTION (1)
#   COMPLETED_RETENTION_SECONDS (60) RETENTION_INTERVAL (10000 ms; passed to the server)
#   RETENTION_BATCH_SIZE (unset: the server's default; passed to the server when given)
#   VACUUM_EVERY (0 = never; else VACUUM queen.messages, message_states, partition_consumers every
#   N s, standing in for autovacuum, which is off on the benchmark machines) PREFIX (steady: the
#   queue is PREFIX-0) DRAIN (30 s: queen-load --drain-timeout) COUNT (auto: count(*) while one
#   takes <= COUNT_MAX_MS (1000), then only the statistics' estimate; exact; stats)
#   SERVER_XMX (128m) SERVER_JAVA_OPTS ("") LOAD_JAVA_OPTS (computed, see below)
#   OUT (queen-bench/target/steady-state, or steady-state-noretention when RETENTION=0)
#   BUILD=1 rebuilds the jars first (otherwise only when missing).
#
# queen-load keeps its verification ledger for the whole run: per producer connection two long[]
# (push sent / replied time, 16 bytes per message, grown by doubling), so 16000 msg/s x 600 s is
# 160 MiB of arrays. --no-verify would not help: it only skips the final check, the ledger is
# recorded anyway (and the check is what proves retention deleted no unconsumed message). So the
# load gets 256 MiB plus 1.5 x the ledger (-Xmx496m by default), unless LOAD_JAVA_OPTS is given.
#
# Files in OUT: samples.csv (one row per sample, columns below), load.json (queen-load --json),
# load.txt (its report), configure.json, server.log, meta.txt, summary.md.
set -euo pipefail
cd "$(dirname "$0")/.."

PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
PORT=${PORT:-6660}
RATE=${RATE:-7000}
DURATION=${DURATION:-600}
SAMPLE=${SAMPLE:-15}
RETENTION=${RETENTION:-1}
CRS=${COMPLETED_RETENTION_SECONDS:-60}
RETENTION_INTERVAL=${RETENTION_INTERVAL:-10000}
RETENTION_BATCH_SIZE=${RETENTION_BATCH_SIZE:-}
VACUUM_EVERY=${VACUUM_EVERY:-0}
PREFIX=${PREFIX:-steady}
DRAIN=${DRAIN:-30}
COUNT=${COUNT:-auto}
COUNT_MAX_MS=${COUNT_MAX_MS:-1000}
SERVER_XMX=${SERVER_XMX:-128m}
SERVER_JAVA_OPTS=${SERVER_JAVA_OPTS:-}
CONNECTIONS=20
POP_BATCH=${POP_BATCH:-100}
if [[ $RETENTION == 1 ]]; then OUT=${OUT:-queen-bench/target/steady-state}; else
  OUT=${OUT:-queen-bench/target/steady-state-noretention}; fi
LOAD_JAR=queen-bench/target/queen-load.jar
SERVER_JAR=queen-server/target/queen-server.jar
DB=queen_steady_$(date +%s)_$$
URL=http://127.0.0.1:$PORT

for v in RATE POP_BATCH DURATION SAMPLE CRS RETENTION_INTERVAL VACUUM_EVERY DRAIN COUNT_MAX_MS; do
  [[ ${!v} =~ ^[0-9]+$ ]] || { echo "$v must be a non-negative integer, was '${!v}'" >&2; exit 2; }
done
[[ -z $RETENTION_BATCH_SIZE || $RETENTION_BATCH_SIZE =~ ^[0-9]+$ ]] \
  || { echo "RETENTION_BATCH_SIZE must be an integer" >&2; exit 2; }
[[ $RETENTION == 0 || $RETENTION == 1 ]] || { echo "RETENTION must be 0 or 1" >&2; exit 2; }
[[ $COUNT == auto || $COUNT == exact || $COUNT == stats ]] || { echo "COUNT: auto|exact|stats" >&2; exit 2; }
(( DURATION >= 1 && DURATION <= 3600 )) || { echo "DURATION must be 1..3600 (queen-load's limit)" >&2; exit 2; }
(( SAMPLE >= 1 )) || { echo "SAMPLE must be >= 1" >&2; exit 2; }

# The ledger's arrays: per connection 1024 x 2^k longs >= its messages, two of them, 8 bytes each.
per_conn=$(( (RATE * DURATION + CONNECTIONS - 1) / CONNECTIONS )); cap=1024
for _ in $(seq 1 40); do (( cap >= per_conn )) && break; cap=$((cap * 2)); done
LEDGER_MB=$(( CONNECTIONS * 16 * cap / 1048576 ))
LOAD_JAVA_OPTS=${LOAD_JAVA_OPTS:--Xmx$(( 256 + LEDGER_MB * 3 / 2 ))m -XX:TieredStopAtLevel=1}

if [[ "${BUILD:-0}" == 1 || ! -f $LOAD_JAR || ! -f $SERVER_JAR ]]; then
  mvn -B -ntp -q -DskipTests package -pl queen-bench -am
fi

rm -rf "$OUT"
mkdir -p "$OUT"
PSQL=(timeout 120 psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -qAt -v ON_ERROR_STOP=1)
"${PSQL[@]}" -d postgres -c "CREATE DATABASE $DB"

SERVER_PID=
LOAD_PID=
cleanup() {
  if [[ -n "$LOAD_PID" ]] && kill -0 "$LOAD_PID" 2>/dev/null; then
    kill -TERM "$LOAD_PID" 2>/dev/null || true # timeout(1) passes it on to queen-load
    for _ in $(seq 1 50); do kill -0 "$LOAD_PID" 2>/dev/null || break; sleep 0.1; done
  fi
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID" || true
    for _ in $(seq 1 150); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$SERVER_PID" 2>/dev/null || true
  fi
  "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

SERVER_ENV=(PG_HOST="$PGHOST" PG_PORT="$PGPORT" PG_DB="$DB" PG_USER="$PGUSER" HOST=127.0.0.1
  PORT="$PORT" LOG_LEVEL=warn RETENTION_INTERVAL="$RETENTION_INTERVAL")
if [[ -n $RETENTION_BATCH_SIZE ]]; then SERVER_ENV+=(RETENTION_BATCH_SIZE="$RETENTION_BATCH_SIZE"); fi
# shellcheck disable=SC2086
env "${SERVER_ENV[@]}" java -Xmx"$SERVER_XMX" $SERVER_JAVA_OPTS -jar "$SERVER_JAR" \
  > "$OUT/server.log" 2>&1 &
SERVER_PID=$!
for i in $(seq 1 120); do
  if curl -sf --max-time 1 "$URL/health" > /dev/null; then break; fi
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then echo "server died:"; cat "$OUT/server.log"; exit 1; fi
  if [[ $i == 120 ]]; then echo "server did not become healthy"; exit 1; fi
  sleep 0.5
done
echo "server pid $SERVER_PID on $URL, database $DB"

if [[ $RETENTION == 1 ]]; then
  OPTIONS="{\"completedRetentionSeconds\":$CRS,\"retentionEnabled\":true}"
  BODY="{\"queue\":\"$PREFIX-0\",\"options\":$OPTIONS}"
else
  OPTIONS="{}"
  BODY="{\"queue\":\"$PREFIX-0\"}"
fi
curl -sS -f --max-time 10 -X POST "$URL/api/v1/configure" -H 'content-type: application/json' \
  -d "$BODY" > "$OUT/configure.json"
echo "configured $PREFIX-0: $(cat "$OUT/configure.json")"

LOAD_ARGS=(--url "$URL" --json --mode both --duration "$DURATION" --rate "$RATE" --batch 10
  --pop-batch "$POP_BATCH" --partitions 100 --queues 1 --connections "$CONNECTIONS" --consumer-connections 10 --auto-ack
  --wait --wait-timeout 1000 --drain-timeout "$DRAIN" --queue-prefix "$PREFIX")
LOAD_CMD="java $LOAD_JAVA_OPTS -jar $LOAD_JAR ${LOAD_ARGS[*]}"
echo "== load: $LOAD_CMD"
LOAD_LIMIT=$((DURATION + DRAIN + 180))
START=$(date +%s)
# shellcheck disable=SC2086
timeout -k 15 "$LOAD_LIMIT" java $LOAD_JAVA_OPTS -jar "$LOAD_JAR" "${LOAD_ARGS[@]}" \
  > "$OUT/load.json" 2> "$OUT/load.txt" &
LOAD_PID=$!

CSV=$OUT/samples.csv
echo "elapsed_s,messages_total_bytes,messages_heap_bytes,messages_rows,count_ms,messages_live_est,messages_dead_est,messages_vacuums,states_bytes,consumers_bytes,removed_total,server_rss_kb,load_rss_kb" > "$CSV"
STATS_SQL="SELECT pg_total_relation_size('queen.messages'), pg_relation_size('queen.messages'),
  s.n_live_tup, s.n_dead_tup, s.vacuum_count + s.autovacuum_count,
  pg_total_relation_size('queen.message_states'), pg_total_relation_size('queen.partition_consumers')
  FROM pg_stat_user_tables s WHERE s.relid = 'queen.messages'::regclass;
SELECT to_regclass('queen.retention_history') IS NOT NULL AS has_history \\gset
\\if :has_history
  SELECT coalesce(sum(count), 0) FROM queen.retention_history;
\\else
  SELECT '';
\\endif"
COUNT_MAX_SEEN=0
count_on=1
if [[ $COUNT == stats ]]; then count_on=0; fi
java_rss() { # pid of timeout(1) -> its java child's VmRSS
  local child
  child=$(pgrep -P "$1" 2>/dev/null | head -1) || true
  if [[ -n $child ]]; then awk '$1=="VmRSS:" {print $2}' "/proc/$child/status" 2>/dev/null || true; fi
}
PSQL_SAMPLE=(timeout 30 psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -qAt -v ON_ERROR_STOP=1 -d "$DB")
sample() {
  local el=$(( $(date +%s) - START )) stats rows="" ms="" t0 t1 history
  stats=$("${PSQL_SAMPLE[@]}" -F, -f - <<< "$STATS_SQL" 2>> "$OUT/sample-errors.txt" | tr '\n' ',' | sed 's/,$//') \
    || stats=""
  if [[ $count_on == 1 ]]; then
    t0=$(date +%s%N)
    rows=$("${PSQL_SAMPLE[@]}" -c "SET statement_timeout = $((COUNT_MAX_MS * 10))" \
      -c "SELECT count(*) FROM queen.messages" 2>> "$OUT/sample-errors.txt") || rows=""
    t1=$(date +%s%N); ms=$(( (t1 - t0) / 1000000 ))
    if (( ms > COUNT_MAX_SEEN )); then COUNT_MAX_SEEN=$ms; fi
    if [[ $COUNT == auto ]] && (( ms > COUNT_MAX_MS )); then
      count_on=0
      echo "count(*) took $ms ms at $el s: from now on only the statistics' estimate"
    fi
  fi
  # stats: total,heap,live,dead,vacuums,states,consumers,history (8 fields when all went well)
  IFS=, read -r total heap live dead vacs states consumers history <<< "$stats" || true
  echo "$el,${total:-},${heap:-},$rows,$ms,${live:-},${dead:-},${vacs:-},${states:-},${consumers:-},${history:-},$(awk '$1=="VmRSS:" {print $2}' "/proc/$SERVER_PID/status" 2>/dev/null),$(java_rss "$LOAD_PID")" >> "$CSV"
}
vacuum() {
  "${PSQL[@]}" -d "$DB" -c "VACUUM queen.messages" -c "VACUUM queen.message_states" \
    -c "VACUUM queen.partition_consumers" 2>> "$OUT/sample-errors.txt" || true
}

next=$START
last_vacuum=$START
deadline=$((START + LOAD_LIMIT + 30))
while kill -0 "$LOAD_PID" 2>/dev/null && (( $(date +%s) < deadline )); do
  now=$(date +%s)
  if (( now >= next )); then
    sample
    tail -1 "$CSV" | awk -F, '{printf "  %5s s: queen.messages %.1f MiB, rows %s (est. %s live, %s dead), removed %s, server RSS %.0f MiB\n", $1, $2 / 1048576, ($4 == "" ? "-" : $4), $6, $7, ($11 == "" ? "-" : $11), $12 / 1024}'
    while (( next <= now )); do next=$((next + SAMPLE)); done
  fi
  if (( VACUUM_EVERY > 0 && now - last_vacuum >= VACUUM_EVERY )); then
    vacuum
    last_vacuum=$now
  fi
  sleep 1
done
LOAD_RC=0
wait "$LOAD_PID" || LOAD_RC=$?
LOAD_PID=
sample # the end: after the producers stopped and the consumers drained
cat "$OUT/load.txt"

{
  echo "rate=$RATE"
  echo "duration=$DURATION"
  echo "sample=$SAMPLE"
  echo "pop_batch=$POP_BATCH"
  echo "retention=$RETENTION"
  echo "options=$OPTIONS"
  echo "retention_interval=$RETENTION_INTERVAL"
  echo "retention_batch_size=$RETENTION_BATCH_SIZE"
  echo "vacuum_every=$VACUUM_EVERY"
  echo "autovacuum=$("${PSQL[@]}" -d postgres -c 'SHOW autovacuum' || echo '?')"
  echo "pg=$("${PSQL[@]}" -d postgres -c 'SHOW server_version' || echo '?')"
  echo "server_hwm_kb=$(awk '$1=="VmHWM:" {print $2}' "/proc/$SERVER_PID/status" 2>/dev/null)"
  echo "count_max_ms=$COUNT_MAX_SEEN"
  echo "load_rc=$LOAD_RC"
  echo "load=$LOAD_CMD"
  echo "server=${SERVER_ENV[*]} java -Xmx$SERVER_XMX $SERVER_JAVA_OPTS -jar $SERVER_JAR"
  echo "nproc=$(nproc)"
  echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo +dirty)"
} > "$OUT/meta.txt"

echo
python3 queen-bench/steady-state-report.py "$OUT"
echo "(wrote $OUT)"
