#!/usr/bin/env bash
# The dashboard at scale (issue 15: every page interactive within 1 s with 10,000 partitions and
# 5 million messages). A fresh database and server; queen-load pushes batches of 100 into one
# queue of 10,000 partitions (scale-0) for FILL_SECONDS, then into further queues of 10,000
# partitions until the database holds TARGET messages; one consumer group (audit0) reads for 10 s.
# Then DashboardScaleCheck opens every page five times in headless Chromium and prints the median
# time to the page showing its data. About five minutes on a 2-core machine.
#
#   mvn -q -B -ntp install -DskipTests && queen-bench/run-dashboard-scale.sh
#
# Environment: PGHOST PGPORT PGUSER (127.0.0.1, 5432, postgres), PORT (6696), TARGET (5000000),
# FILL_SECONDS (120), KEEP=1 leaves the server and its database up afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
PGHOST=${PGHOST:-127.0.0.1}; PGPORT=${PGPORT:-5432}; PGUSER=${PGUSER:-postgres}; PORT=${PORT:-6696}
TARGET=${TARGET:-5000000}; FILL_SECONDS=${FILL_SECONDS:-120}
[[ $TARGET =~ ^[1-9][0-9]*$ ]] || { echo "TARGET must be a positive integer, was '$TARGET'" >&2; exit 2; }
[[ $FILL_SECONDS =~ ^[1-9][0-9]*$ ]] || { echo "FILL_SECONDS must be a positive integer, was '$FILL_SECONDS'" >&2; exit 2; }
PSQL=(psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -qAt)
LOAD=(java -Xmx256m -jar queen-bench/target/queen-load.jar --url "http://127.0.0.1:$PORT")
db=queen_dashboard_scale_$$; pid=
cleanup() {
  [[ ${KEEP:-0} == 1 ]] && { echo "kept: server pid $pid on port $PORT, database $db"; return; }
  [[ -n $pid ]] && { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
  "${PSQL[@]}" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" || true
  rm -rf "/tmp/dashboard-scale-$db"
}
trap cleanup EXIT
"${PSQL[@]}" -c "CREATE DATABASE $db"
env PG_HOST="$PGHOST" PG_PORT="$PGPORT" PG_DB=$db PG_USER="$PGUSER" HOST=127.0.0.1 PORT="$PORT" \
  FILE_BUFFER_DIR="/tmp/dashboard-scale-$db" LOG_LEVEL=warn java -Xmx512m \
  -jar queen-server/target/queen-server.jar > /dev/null 2>&1 &
pid=$!
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$PORT/health" > /dev/null && break; sleep 0.5; done
count() { "${PSQL[@]}" -d "$db" -c "SELECT count(*) FROM queen.messages"; }
"${LOAD[@]}" --mode producer --duration "$FILL_SECONDS" --batch 100 --partitions 10000 \
  --connections 20 --queue-prefix scale | grep '^push:'
extra=0
while (( $(count) < TARGET )); do
  extra=$((extra + 1))
  "${LOAD[@]}" --mode producer --duration 20 --batch 100 --partitions 10000 --connections 20 \
    --queue-prefix "scale$extra" | grep '^push:'
done
"${LOAD[@]}" --mode consumer --duration 10 --batch 100 --partitions 10000 --consumer-groups 1 \
  --group-prefix audit --connections 10 --queue-prefix scale | grep '^pop:'
echo "messages: $(count); partitions: $("${PSQL[@]}" -d "$db" -c "SELECT count(*) FROM queen.partitions")"
mvn -q -B -ntp -o -pl queen-server test -Dtest=DashboardScaleCheck -Dsurefire.failIfNoSpecifiedTests=false \
  -Dqueen.dashboard.url="http://127.0.0.1:$PORT" -Dqueen.dashboard.queue=scale-0 \
  -Dqueen.dashboard.group=audit0 > /dev/null
grep -E '^\||^worst' queen-server/target/surefire-reports/io.queen.server.dashboard.DashboardScaleCheck-output.txt
