#!/usr/bin/env bash
# CPU per message of pushes into a plain and an encrypted queue (issue 11: encryption's cost), at
# a fixed rate so that the VM's speed changes move both alike: push b10 (20 connections, 100
# partitions) at 8,000 msg/s for 15 s into plain<r>-0 and enc<r>-0 alternately, three rounds,
# after a 10 s warm-up, on one server with QUEEN_ENCRYPTION_KEY; the server's and PostgreSQL's CPU
# time (utime + stime from /proc) divided by the messages stored. Round 1 still has the server's
# JIT warming up: compare rounds 2 and 3. About 2 minutes. Needs to run as a user that can read
# PostgreSQL's /proc entries (root here).
#
#   queen-bench/run-encryption-cpu.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PSQL=(psql -h 127.0.0.1 -U postgres -qAt)
URL=http://127.0.0.1:6695
LOAD=(java -Xmx256m -XX:TieredStopAtLevel=1 -jar queen-bench/target/queen-load.jar --url $URL --mode producer --connections 20 --partitions 100 --batch 10)
ticks() { awk '{print $14+$15}' /proc/$1/stat; }
pgticks() { local t=0; for p in $(pgrep -u postgres postgres); do t=$((t + $(awk '{print $14+$15}' /proc/$p/stat 2>/dev/null || echo 0))); done; echo $t; }
KEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
db=queen_cpuenc_$$; "${PSQL[@]}" -c "CREATE DATABASE $db"
env PG_HOST=127.0.0.1 PG_DB=$db PG_USER=postgres HOST=127.0.0.1 PORT=6695 QUEEN_ENCRYPTION_KEY=$KEY FILE_BUFFER_DIR=/tmp/cpu-buf-$db LOG_LEVEL=warn java -Xmx128m -jar queen-server/target/queen-server.jar > /dev/null 2>&1 &
pid=$!
for _ in $(seq 1 60); do curl -sf $URL/health > /dev/null && break; sleep 0.5; done
for r in 1 2 3; do for q in plain$r enc$r; do
  curl -sf -X POST $URL/api/v1/configure -H 'content-type: application/json' -d "{\"queue\":\"$q-0\",\"options\":{\"encryptionEnabled\":$([[ $q == enc* ]] && echo true || echo false)}}" > /dev/null
done; done
"${LOAD[@]}" --duration 10 --queue-prefix warm > /dev/null 2>&1
for r in 1 2 3; do for q in plain$r enc$r; do
  s0=$(ticks $pid); p0=$(pgticks)
  out=$("${LOAD[@]}" --duration 15 --rate 8000 --queue-prefix $q 2>&1 | grep -o '[0-9]* msg/s' | head -1)
  s1=$(ticks $pid); p1=$(pgticks)
  n=$("${PSQL[@]}" -d $db -c "select count(*) from queen.messages m join queen.partitions pa on pa.id=m.partition_id join queen.queues q on q.id=pa.queue_id where q.name='$q-0'")
  python3 -c "s,p,n=$((s1-s0)),$((p1-p0)),$n; print(f'$q: $out, server {s*10/n*1000:.1f} us/msg, postgres {p*10/n*1000:.1f} us/msg, both {(s+p)*10/n*1000:.1f} ({n} msgs)')"
done; done
kill $pid; wait $pid 2>/dev/null || true; "${PSQL[@]}" -c "DROP DATABASE $db WITH (FORCE)"; rm -rf /tmp/cpu-buf-$db
