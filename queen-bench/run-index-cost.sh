#!/usr/bin/env bash
# What an index on partitions (queue_id, last_message_at, id) would cost the push path (measured
# and rejected for the message browser, docs/benchmarks.md): push b10 over 100 and over 10,000
# partitions, 15 s each after a 10 s warm-up, on a fresh database per variant, alternating
# without the index and with it (created after the server's migration), twice. About 5 minutes.
#
#   queen-bench/run-index-cost.sh
#
# Environment: PGHOST PGPORT PGUSER (127.0.0.1, 5432, postgres), PORT (6690).
set -euo pipefail
cd "$(dirname "$0")/.."
PGHOST=${PGHOST:-127.0.0.1}; PGPORT=${PGPORT:-5432}; PGUSER=${PGUSER:-postgres}; PORT=${PORT:-6690}
PSQL=(psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -qAt)
LOAD=(java -Xmx256m -XX:TieredStopAtLevel=1 -jar queen-bench/target/queen-load.jar
  --url "http://127.0.0.1:$PORT" --mode producer --batch 10 --connections 20)
[[ -f queen-server/target/queen-server.jar && -f queen-bench/target/queen-load.jar ]] \
  || mvn -B -ntp -q -DskipTests package -pl queen-bench -am
for variant in without with without with; do
  db=queen_index_cost_${variant}_$$_$RANDOM
  "${PSQL[@]}" -c "CREATE DATABASE $db"
  env PG_HOST="$PGHOST" PG_PORT="$PGPORT" PG_DB="$db" PG_USER="$PGUSER" HOST=127.0.0.1 PORT="$PORT" \
    LOG_LEVEL=warn java -Xmx128m -jar queen-server/target/queen-server.jar > /dev/null 2>&1 &
  pid=$!
  for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$PORT/health" > /dev/null && break; sleep 0.5; done
  if [[ $variant == with ]]; then
    "${PSQL[@]}" -d "$db" -c "CREATE INDEX partitions_newest_idx ON queen.partitions (queue_id, last_message_at, id)"
  fi
  "${LOAD[@]}" --duration 10 --partitions 100 --queue-prefix warm > /dev/null 2>&1
  b10=$("${LOAD[@]}" --duration 15 --partitions 100 --queue-prefix b10 2>&1 | grep -o '[0-9]* msg/s' | head -1)
  p10k=$("${LOAD[@]}" --duration 15 --partitions 10000 --queue-prefix p10k 2>&1 | grep -o '[0-9]* msg/s' | head -1)
  echo "$variant index: push b10 $b10, push b10 over 10,000 partitions $p10k"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  "${PSQL[@]}" -c "DROP DATABASE $db WITH (FORCE)"
done
