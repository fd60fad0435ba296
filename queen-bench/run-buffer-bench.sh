#!/usr/bin/env bash
# The file buffer (issue 11): (1) buffered push throughput, the standard push b10 (batch 10, 20
# connections, 100 partitions) for DURATION s with push maintenance on, so that every push is
# written to the buffer and answered "buffered" (FILE_BUFFER_FSYNC=true unless FSYNC=false);
# (2) the replay: maintenance is switched off while a second push b10 load runs into another queue
# (new pushes keep flowing to PostgreSQL), and the time until /api/v1/status/buffers shows nothing
# pending gives the replay rate. Then the stored count is checked against what was answered.
# Fresh database and buffer directory; about 2 minutes.
#
#   queen-bench/run-buffer-bench.sh
#   FSYNC=false queen-bench/run-buffer-bench.sh
#   LIVE_RATE=2000 queen-bench/run-buffer-bench.sh   # the new pushes at 2,000 msg/s, not flat out
#
# Environment: PGHOST PGPORT PGUSER (127.0.0.1, 5432, postgres), PORT (6692), DURATION (20),
#   FSYNC (true), LIVE_RATE (msg/s of the new pushes during the replay; 0 = as fast as they go),
#   OUT (queen-bench/target/buffer-bench).
set -euo pipefail
cd "$(dirname "$0")/.."
PGHOST=${PGHOST:-127.0.0.1}; PGPORT=${PGPORT:-5432}; PGUSER=${PGUSER:-postgres}; PORT=${PORT:-6692}
DURATION=${DURATION:-20}; FSYNC=${FSYNC:-true}; OUT=${OUT:-queen-bench/target/buffer-bench}
LIVE_RATE=${LIVE_RATE:-0}
[[ $LIVE_RATE =~ ^[0-9]+$ ]] || { echo "LIVE_RATE must be a non-negative integer, was '$LIVE_RATE'" >&2; exit 2; }
[[ $DURATION =~ ^[1-9][0-9]*$ ]] || { echo "DURATION must be a positive integer, was '$DURATION'" >&2; exit 2; }
[[ $FSYNC == true || $FSYNC == false ]] || { echo "FSYNC must be true or false, was '$FSYNC'" >&2; exit 2; }
URL=http://127.0.0.1:$PORT
PSQL=(psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -qAt)
LOAD=(java -Xmx256m -XX:TieredStopAtLevel=1 -jar queen-bench/target/queen-load.jar --url "$URL"
  --mode producer --batch 10 --connections 20 --partitions 100)
[[ -f queen-server/target/queen-server.jar && -f queen-bench/target/queen-load.jar ]] \
  || mvn -B -ntp -q -DskipTests package -pl queen-bench -am
rm -rf "$OUT"; mkdir -p "$OUT"
db=queen_buffer_bench_$$_$RANDOM
"${PSQL[@]}" -c "CREATE DATABASE $db"
env PG_HOST="$PGHOST" PG_PORT="$PGPORT" PG_DB="$db" PG_USER="$PGUSER" HOST=127.0.0.1 PORT="$PORT" \
  FILE_BUFFER_DIR="$OUT/buffer" FILE_BUFFER_FSYNC="$FSYNC" LOG_LEVEL=warn \
  java -Xmx256m -jar queen-server/target/queen-server.jar > "$OUT/server.log" 2>&1 &
pid=$!
cleanup() {
  kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
  "${PSQL[@]}" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" || true
}
trap cleanup EXIT
for _ in $(seq 1 60); do curl -sf "$URL/health" > /dev/null && break; sleep 0.5; done
maintenance() {
  curl -sf -X POST "$URL/api/v1/system/maintenance" -H 'content-type: application/json' \
    -d "{\"enabled\":$1}" > /dev/null
}
pending() { curl -sf "$URL/api/v1/status/buffers" | python3 -c 'import json,sys; print(json.load(sys.stdin)["pending"])'; }
rate() { grep -o '[0-9]* msg/s' | head -1; }

"${LOAD[@]}" --duration 10 --queue-prefix warm > /dev/null 2>&1
maintenance true
"${LOAD[@]}" --duration "$DURATION" --queue-prefix buf > "$OUT/buffered.txt" 2>&1
buffered_rate=$(rate < "$OUT/buffered.txt")
answered=$(pending)
stored_before=$("${PSQL[@]}" -d "$db" -c "SELECT count(*) FROM queen.messages m JOIN queen.partitions pa ON pa.id = m.partition_id JOIN queen.queues q ON q.id = pa.queue_id WHERE q.name = 'buf-0'")
bytes=$(du -sb "$OUT/buffer" | cut -f1)
echo "buffered push b10 (fsync $FSYNC): $buffered_rate; $answered messages pending in $bytes bytes; $stored_before stored meanwhile"

# maintenance off first: the live queue has nothing buffered, so its pushes go to PostgreSQL
start=$(date +%s.%N)
maintenance false
"${LOAD[@]}" --duration "$DURATION" --rate "$LIVE_RATE" --queue-prefix live > "$OUT/live.txt" 2>&1 &
live=$!
wait "$live"
live_end=$(date +%s.%N)
left_at_live_end=$(pending)
while [[ $(pending) != 0 ]]; do sleep 0.1; done
end=$(date +%s.%N)
stored=$("${PSQL[@]}" -d "$db" -c "SELECT count(*) FROM queen.messages m JOIN queen.partitions pa ON pa.id = m.partition_id JOIN queen.queues q ON q.id = pa.queue_id WHERE q.name = 'buf-0'")
python3 - "$answered" "$start" "$end" "$stored" "$(rate < "$OUT/live.txt")" "$live_end" "$left_at_live_end" <<'PY'
import sys
answered, start, end, stored, live = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
live_end, left = float(sys.argv[6]), int(sys.argv[7])
took = end - start
during = (answered - left) / (live_end - start)
print(f"replay while new pushes (another queue) ran at {live}: {during:,.0f} msg/s ({answered - left} in {live_end - start:.1f} s)")
print(f"replay in all: {answered} messages in {took:.1f} s = {answered / took:,.0f} msg/s")
print(f"stored after the replay: {stored} of {answered} answered buffered ({'exactly' if stored == answered else 'NOT'} once)")
PY
