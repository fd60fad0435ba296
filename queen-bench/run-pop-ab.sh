#!/usr/bin/env bash
# Two server builds side by side on the pop path: the matrix's pop-autoack step on its own. Per
# run a fresh database and server, a 15 s mixed warm-up (push b10 + long-poll consumers), 10 s of
# push b100 into 100 partitions, then 20 autoAck consumers (batch 100) drain it; alternating A and
# B ROUNDS times (3). About 1.2 minutes per run.
#
#   git worktree add /tmp/base <commit> && (cd /tmp/base && mvn -q -DskipTests package)
#   queen-bench/run-pop-ab.sh /tmp/base/queen-server/target/queen-server.jar queen-server/target/queen-server.jar
#
# Environment: PGHOST PGPORT PGUSER (127.0.0.1, 5432, postgres), PORT (6695), ROUNDS (3).
set -euo pipefail
cd "$(dirname "$0")/.."
[[ $# == 2 && -f $1 && -f $2 ]] || { echo "usage: $0 SERVER_JAR_A SERVER_JAR_B" >&2; exit 2; }
PGHOST=${PGHOST:-127.0.0.1}; PGPORT=${PGPORT:-5432}; PGUSER=${PGUSER:-postgres}; PORT=${PORT:-6695}
ROUNDS=${ROUNDS:-3}
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || { echo "ROUNDS must be a positive integer, was '$ROUNDS'" >&2; exit 2; }
PSQL=(psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -qAt)
LOAD=(java -Xmx256m -XX:TieredStopAtLevel=1 -jar queen-bench/target/queen-load.jar --url "http://127.0.0.1:$PORT")
pid=; db=
cleanup() {
  [[ -n $pid ]] && { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
  [[ -n $db ]] && { "${PSQL[@]}" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" || true; rm -rf "/tmp/pop-ab-$db"; }
  pid=; db=
}
trap cleanup EXIT
for round in $(seq 1 "$ROUNDS"); do for side in A B; do
  jar=$([[ $side == A ]] && echo "$1" || echo "$2")
  db=queen_pop_ab_$$_$RANDOM; "${PSQL[@]}" -c "CREATE DATABASE $db"
  env PG_HOST="$PGHOST" PG_PORT="$PGPORT" PG_DB=$db PG_USER="$PGUSER" HOST=127.0.0.1 PORT="$PORT" \
    FILE_BUFFER_DIR="/tmp/pop-ab-$db" LOG_LEVEL=warn java -Xmx128m -jar "$jar" > /dev/null 2>&1 &
  pid=$!
  for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$PORT/health" > /dev/null && break; sleep 0.5; done
  "${LOAD[@]}" --mode both --duration 15 --batch 10 --partitions 100 --connections 20 \
    --consumer-connections 10 --auto-ack --wait --wait-timeout 1000 --queue-prefix warm > /dev/null 2>&1
  "${LOAD[@]}" --mode producer --duration 10 --batch 100 --partitions 100 --connections 20 \
    --queue-prefix p > /dev/null 2>&1
  out=$("${LOAD[@]}" --mode consumer --duration 20 --batch 100 --consumer-connections 20 \
    --consumer-groups 1 --group-prefix auto --auto-ack --until-empty --queue-prefix p 2>&1 \
    | grep -o '[0-9,]* msg/s' | head -1)
  echo "round $round $side: pop autoAck drain $out"
  cleanup
done; done
