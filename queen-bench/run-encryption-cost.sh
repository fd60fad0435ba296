#!/usr/bin/env bash
# What payload encryption costs the push path (issue 11: at most 15 % of push b10): the standard
# push b10 (batch 10, 20 connections, 100 partitions) for 20 s after a 10 s warm-up, into a plain
# queue and into a queue configured with encryptionEnabled, on one server started with
# QUEEN_ENCRYPTION_KEY and a fresh database per round; then one pop-autoack drain of each queue
# (batch 100, 10 consumers), which decrypts. Alternating, ROUNDS times (2). About 4 minutes.
#
#   queen-bench/run-encryption-cost.sh
#
# Environment: PGHOST PGPORT PGUSER (127.0.0.1, 5432, postgres), PORT (6691), ROUNDS (2).
set -euo pipefail
cd "$(dirname "$0")/.."
PGHOST=${PGHOST:-127.0.0.1}; PGPORT=${PGPORT:-5432}; PGUSER=${PGUSER:-postgres}; PORT=${PORT:-6691}
ROUNDS=${ROUNDS:-2}
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || { echo "ROUNDS must be a positive integer, was '$ROUNDS'" >&2; exit 2; }
URL=http://127.0.0.1:$PORT
PSQL=(psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -qAt)
LOAD=(java -Xmx256m -XX:TieredStopAtLevel=1 -jar queen-bench/target/queen-load.jar --url "$URL")
PUSH=(--mode producer --batch 10 --connections 20 --partitions 100)
POP=(--mode consumer --pop-batch 100 --consumer-connections 10 --auto-ack --until-empty --no-verify
  --partitions 100 --duration 120)
KEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
[[ -f queen-server/target/queen-server.jar && -f queen-bench/target/queen-load.jar ]] \
  || mvn -B -ntp -q -DskipTests package -pl queen-bench -am
pid=
db=
cleanup() {
  [[ -n $pid ]] && { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
  [[ -n $db ]] && "${PSQL[@]}" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" || true
}
trap cleanup EXIT
rate() { grep -o '[0-9]* msg/s' | head -1; }
for round in $(seq 1 "$ROUNDS"); do
  for variant in plain encrypted; do
    db=queen_encryption_cost_$$_$RANDOM
    "${PSQL[@]}" -c "CREATE DATABASE $db"
    env PG_HOST="$PGHOST" PG_PORT="$PGPORT" PG_DB="$db" PG_USER="$PGUSER" HOST=127.0.0.1 PORT="$PORT" \
      QUEEN_ENCRYPTION_KEY="$KEY" LOG_LEVEL=warn java -Xmx128m -jar queen-server/target/queen-server.jar \
      > /dev/null 2>&1 &
    pid=$!
    for _ in $(seq 1 60); do curl -sf "$URL/health" > /dev/null && break; sleep 0.5; done
    encrypted=$([[ $variant == encrypted ]] && echo true || echo false)
    for q in warm-0 b10-0; do
      curl -sf -X POST "$URL/api/v1/configure" -H 'content-type: application/json' \
        -d "{\"queue\":\"$q\",\"options\":{\"encryptionEnabled\":$encrypted}}" > /dev/null
    done
    "${LOAD[@]}" "${PUSH[@]}" --duration 10 --queue-prefix warm > /dev/null 2>&1
    push=$("${LOAD[@]}" "${PUSH[@]}" --duration 20 --queue-prefix b10 2>&1 | rate)
    pop=$("${LOAD[@]}" "${POP[@]}" --queue-prefix b10 2>&1 | rate)
    stored=$("${PSQL[@]}" -d "$db" -c "SELECT count(*) FILTER (WHERE is_encrypted) || ' of ' || count(*) FROM queen.messages")
    echo "round $round, $variant queue: push b10 $push, pop-autoack drain $pop ($stored stored encrypted)"
    kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
    "${PSQL[@]}" -c "DROP DATABASE $db WITH (FORCE)"; db=
  done
done
