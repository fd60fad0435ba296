#!/usr/bin/env bash
# CPU per message of push b1 (20 connections, 100 partitions) at a fixed 1,500 msg/s for 15 s,
# two server builds alternately, twice, a fresh database each: the server's and PostgreSQL's CPU
# time (utime + stime from /proc) divided by the messages stored. For a change whose throughput
# cost is below the matrix's run-to-run spread. About 2 minutes. SERVER_XMX sets the servers'
# heap (128m), BATCH and RATE the load (1 and 1500; the options the script passes win over
# LOAD_ARGS_A / LOAD_ARGS_B); ENV_A / ENV_B add variables to side A's / B's server, LOAD_ARGS_A /
# LOAD_ARGS_B options to its load; JWT on one side:
#   S=$(openssl rand -hex 32); ENV_B="JWT_ENABLED=true JWT_SECRET=$S" LOAD_ARGS_B="--jwt-secret $S" \
#     queen-bench/run-ab-cpu.sh queen-server/target/queen-server.jar queen-server/target/queen-server.jar
#
#   queen-bench/run-ab-cpu.sh /tmp/base/queen-server/target/queen-server.jar queen-server/target/queen-server.jar
set -euo pipefail
cd "$(dirname "$0")/.."
[[ $# == 2 && -f $1 && -f $2 ]] || { echo "usage: $0 SERVER_JAR_A SERVER_JAR_B" >&2; exit 2; }
PSQL=(psql -h 127.0.0.1 -U postgres -qAt)
LOAD=(java -Xmx256m -XX:TieredStopAtLevel=1 -jar queen-bench/target/queen-load.jar --url http://127.0.0.1:6694 --mode producer --connections 20 --partitions 100)
ticks() { awk '{print $14+$15}' /proc/$1/stat; }
pgticks() { local t=0; for p in $(pgrep -u postgres postgres); do t=$((t + $(awk '{print $14+$15}' /proc/$p/stat 2>/dev/null || echo 0))); done; echo $t; }
for round in 1 2; do for side in A B; do
  jar=$([[ $side == A ]] && echo "$1" || echo "$2")
  side_env=$([[ $side == A ]] && echo "${ENV_A:-}" || echo "${ENV_B:-}")
  side_load=$([[ $side == A ]] && echo "${LOAD_ARGS_A:-}" || echo "${LOAD_ARGS_B:-}")
  db=queen_cpu_$$_$RANDOM; "${PSQL[@]}" -c "CREATE DATABASE $db"
  env $side_env PG_HOST=127.0.0.1 PG_DB=$db PG_USER=postgres HOST=127.0.0.1 PORT=6694 FILE_BUFFER_DIR=/tmp/cpu-buf-$db LOG_LEVEL=warn java -Xmx${SERVER_XMX:-128m} -jar $jar > /dev/null 2>&1 &
  pid=$!
  for _ in $(seq 1 60); do curl -sf http://127.0.0.1:6694/health > /dev/null && break; sleep 0.5; done
  "${LOAD[@]}" $side_load --batch ${BATCH:-1} --duration 10 --queue-prefix warm > /dev/null 2>&1
  s0=$(ticks $pid); p0=$(pgticks)
  out=$("${LOAD[@]}" $side_load --batch ${BATCH:-1} --duration 15 --rate ${RATE:-1500} --queue-prefix b1 2>&1 | grep -o '[0-9]* msg/s' | head -1)
  s1=$(ticks $pid); p1=$(pgticks)
  n=$("${PSQL[@]}" -d $db -c "select count(*) from queen.messages m join queen.partitions pa on pa.id=m.partition_id join queen.queues q on q.id=pa.queue_id where q.name='b1-0'")
  python3 -c "import sys; s,p,n=$((s1-s0)),$((p1-p0)),$n; print(f'round $round $side: $out, server {s*10/n*1000:.0f} us/msg, postgres {p*10/n*1000:.0f} us/msg ({n} msgs)')"
  kill $pid; wait $pid 2>/dev/null || true; "${PSQL[@]}" -c "DROP DATABASE $db WITH (FORCE)"; rm -rf /tmp/cpu-buf-$db
done; done
