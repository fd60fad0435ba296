#!/usr/bin/env bash
# What a Prometheus scrape costs at scale: starts a fresh queen-server on a fresh PostgreSQL
# database, pushes into one queue of PARTITIONS partitions and into QUEUES queues of one partition
# each, consumes a part with one named group (so lag series exist), then times SCRAPES scrapes of
# GET /metrics/prometheus (curl's time_total on loopback) idle and again under the standard push
# load (batch 10, 20 connections), and reports p50/p95/p99/max, the body size and the number of
# samples. Bounded: every step has a timeout; a default run takes about 3 minutes.
#
#   queen-bench/run-scrape-cost.sh
#   PARTITIONS=10000 QUEUES=1000 SCRAPES=500 queen-bench/run-scrape-cost.sh
#
# Environment: PGHOST PGPORT PGUSER (127.0.0.1, 5432, postgres) PORT (6675) PARTITIONS (10000)
#   QUEUES (1000) SCRAPES (300) OUT (queen-bench/target/scrape-cost) BUILD=1 rebuilds the jars.
set -euo pipefail
cd "$(dirname "$0")/.."

PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
PORT=${PORT:-6675}
PARTITIONS=${PARTITIONS:-10000}
QUEUES=${QUEUES:-1000}
SCRAPES=${SCRAPES:-300}
OUT=${OUT:-queen-bench/target/scrape-cost}
LOAD_JAR=queen-bench/target/queen-load.jar
SERVER_JAR=queen-server/target/queen-server.jar
DB=queen_scrape_$(date +%s)_$$
URL=http://127.0.0.1:$PORT
for v in PARTITIONS QUEUES SCRAPES; do
  [[ ${!v} =~ ^[0-9]+$ ]] || { echo "$v must be a non-negative integer, was '${!v}'" >&2; exit 2; }
done
if [[ "${BUILD:-0}" == 1 || ! -f $LOAD_JAR || ! -f $SERVER_JAR ]]; then
  mvn -B -ntp -q -DskipTests package -pl queen-bench -am
fi
rm -rf "$OUT"
mkdir -p "$OUT"
PSQL=(timeout 600 psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -qAt -v ON_ERROR_STOP=1)
"${PSQL[@]}" -d postgres -c "CREATE DATABASE $DB"
SERVER_PID=
LOAD_PID=
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
  LOG_LEVEL=warn java -Xmx128m -jar "$SERVER_JAR" > "$OUT/server.log" 2>&1 &
SERVER_PID=$!
for i in $(seq 1 120); do
  if curl -sf --max-time 1 "$URL/health" > /dev/null; then break; fi
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then cat "$OUT/server.log"; exit 1; fi
  if [[ $i == 120 ]]; then echo "server did not become healthy"; exit 1; fi
  sleep 0.5
done
LOAD=(java -Xmx512m -XX:TieredStopAtLevel=1 -jar "$LOAD_JAR" --url "$URL")
echo "== filling: 1 queue of $PARTITIONS partitions, $QUEUES queues of 1 partition"
timeout 300 "${LOAD[@]}" --queue-prefix scrape-big --queues 1 --partitions "$PARTITIONS" \
  --mode producer --batch 10 --connections 20 --duration 20 > "$OUT/fill-big.txt" 2>&1
timeout 300 "${LOAD[@]}" --queue-prefix scrape-many --queues "$QUEUES" --partitions 1 \
  --mode producer --batch 10 --connections 20 --duration 15 > "$OUT/fill-many.txt" 2>&1
timeout 120 "${LOAD[@]}" --queue-prefix scrape-big --queues 1 --partitions "$PARTITIONS" \
  --mode consumer --duration 10 --batch 10 --consumer-connections 10 --auto-ack --no-verify \
  --consumer-groups 1 --group-prefix audit > "$OUT/consume.txt" 2>&1 || true
Q=$("${PSQL[@]}" -d "$DB" -c "SELECT count(*) FROM queen.queues")
P=$("${PSQL[@]}" -d "$DB" -c "SELECT count(*) FROM queen.partitions")
M=$("${PSQL[@]}" -d "$DB" -c "SELECT count(*) FROM queen.messages")
echo "   $Q queues, $P partitions, $M messages"
# the first scrape asks for the summaries; wait until the per-queue gauges cover every queue
for i in $(seq 1 60); do
  n=$(curl -sf --max-time 10 "$URL/metrics/prometheus" | grep -c '^queen_queue_messages{' || true)
  (( n >= Q )) && break
  sleep 1
done
curl -sf "$URL/metrics/prometheus" > "$OUT/scrape.txt"
BYTES=$(wc -c < "$OUT/scrape.txt")
SAMPLES=$(grep -vc '^#' "$OUT/scrape.txt")
QSERIES=$(grep -c '^queen_queue_messages{' "$OUT/scrape.txt" || true)
echo "   one scrape: $BYTES bytes, $SAMPLES samples, $QSERIES queue depth series"

probe() { # label
  : > "$OUT/$1.times"
  for _ in $(seq 1 "$SCRAPES"); do
    curl -s -o /dev/null -w '%{time_total}\n' --max-time 10 "$URL/metrics/prometheus" >> "$OUT/$1.times"
  done
  sort -n "$OUT/$1.times" | awk -v label="$1" '{ v[NR] = $1 * 1000 } END {
    printf "   %-10s n=%d p50=%.2f p95=%.2f p99=%.2f max=%.2f ms\n", label, NR,
      v[int(NR * 0.50 + 0.5)], v[int(NR * 0.95 + 0.5)], v[int(NR * 0.99 + 0.5)], v[NR] }' \
    | tee "$OUT/$1.summary"
}
echo "== $SCRAPES scrapes, idle"
probe idle
echo "== $SCRAPES scrapes under push load (batch 10, 20 connections, 100 partitions)"
timeout 300 "${LOAD[@]}" --queue-prefix scrape-live --queues 1 --partitions 100 --mode producer \
  --batch 10 --connections 20 --duration 120 > "$OUT/push.txt" 2>&1 &
LOAD_PID=$!
sleep 5
probe loaded
kill "$LOAD_PID" 2>/dev/null || true
wait "$LOAD_PID" 2>/dev/null || true
LOAD_PID=
echo "server=java -Xmx128m -jar $SERVER_JAR (autovacuum as configured on this PostgreSQL)"
