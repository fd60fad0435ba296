#!/usr/bin/env bash
# The server's peak resident size under one JVM setting, with the throughput it kept: a fresh
# database and server, a 20 s push-and-consume warm-up, then push b100 (10 s), push b10 + consume
# (10 s, verified) and pop autoAck until empty, all with queen-load; prints one line with VmHWM
# and the three rates, then stops the server and drops the database. Alternate settings in one
# session to compare them (the machine's spread between runs is ±15 %).
#
#   queen-bench/run-memory.sh "-Xmx64m -XX:+UseSerialGC"
#   ENV="MALLOC_ARENA_MAX=2" queen-bench/run-memory.sh "-Xmx64m -XX:+UseSerialGC"
#   queen-bench/run-memory.sh "-Xmx64m -XX:+UseSerialGC -XX:NativeMemoryTracking=summary"  # + OUT/nmt.txt
#
#   JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java queen-bench/run-memory.sh "-Xmx64m -XX:+UseSerialGC"  # the server on another JDK
#
# Environment: PGHOST (127.0.0.1) PGPORT (5432) PGUSER (postgres) PORT (6652) OUT (queen-bench/target/memory)
#   JAVA (java: the server's JDK; the load tool always runs on the default one)
set -euo pipefail
cd "$(dirname "$0")/.."
OPTS=${1:?usage: run-memory.sh "<java options>"}
PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
PORT=${PORT:-6652}
JAVA=${JAVA:-java}
OUT=${OUT:-queen-bench/target/memory}
DB=queen_memory_$(date +%s)_$$
mkdir -p "$OUT"
PSQL=(psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres -qAt -v ON_ERROR_STOP=1)
"${PSQL[@]}" -c "CREATE DATABASE $DB"
SP=
cleanup() {
  [[ -n "$SP" ]] && kill "$SP" 2>/dev/null && wait "$SP" 2>/dev/null || true
  "${PSQL[@]}" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" || true
}
trap cleanup EXIT
# shellcheck disable=SC2086
env ${ENV:-} PG_HOST="$PGHOST" PG_PORT="$PGPORT" PG_DB="$DB" PG_USER="$PGUSER" HOST=127.0.0.1 PORT="$PORT" \
  LOG_LEVEL=warn FILE_BUFFER_DIR="$OUT/buffer-$DB" "$JAVA" $OPTS -jar queen-server/target/queen-server.jar \
  > "$OUT/server.log" 2>&1 &
SP=$!
for i in $(seq 1 120); do
  curl -sf --max-time 1 "http://127.0.0.1:$PORT/health" > /dev/null && break
  [[ $i == 120 ]] && { echo "server did not start:"; cat "$OUT/server.log"; exit 1; }
  sleep 0.5
done
L=(java -Xmx256m -XX:TieredStopAtLevel=1 -jar queen-bench/target/queen-load.jar --url "http://127.0.0.1:$PORT" --json)
rate() { python3 -c 'import json,sys; d=json.load(sys.stdin); v=d.get("verification"); print(str(round(d[sys.argv[1]]["messagesPerSecond"])) + ("" if v is None or v["passed"] else " (VERIFICATION FAILED)"))' "$1"; }
"${L[@]}" --mode both --duration 20 --batch 10 --partitions 100 --connections 20 --consumer-connections 10 \
  --auto-ack --wait --wait-timeout 1000 --queue-prefix warm > /dev/null 2>&1
push=$("${L[@]}" --mode producer --duration 10 --batch 100 --partitions 100 --connections 20 --queue-prefix p100 2>/dev/null | rate push)
both=$("${L[@]}" --mode both --duration 10 --batch 10 --partitions 100 --connections 20 --consumer-connections 10 \
  --auto-ack --wait --wait-timeout 1000 --queue-prefix both 2>/dev/null | rate pop)
pop=$("${L[@]}" --mode consumer --duration 20 --batch 100 --consumer-connections 20 --consumer-groups 1 \
  --group-prefix auto --auto-ack --until-empty --queue-prefix p100 2>/dev/null | rate pop)
hwm=$(awk '/VmHWM/ {print $2}' "/proc/$SP/status")
if [[ "$OPTS" == *NativeMemoryTracking* ]]; then jcmd "$SP" VM.native_memory summary > "$OUT/nmt.txt" 2>&1; fi
echo "java=[$("$JAVA" -version 2>&1 | head -1)] env=[${ENV:-}] opts=[$OPTS] peak RSS $((hwm / 1024)) MiB; push b100 $push msg/s; both-b10 consumed $both msg/s; pop autoAck $pop msg/s; threads $(ls "/proc/$SP/task" | wc -l)"
