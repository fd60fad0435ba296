#!/usr/bin/env bash
# Two server builds side by side on the push path, for a change whose cost is smaller than the
# matrix's run-to-run spread: push b1 and push b10 (20 connections, 100 partitions) for 15 s
# after a 10 s warm-up, on a fresh database per run, alternating A and B ROUNDS times (3).
# About 1 minute per run.
#
#   git worktree add /tmp/base <commit> && (cd /tmp/base && mvn -q -DskipTests package)
#   queen-bench/run-ab.sh /tmp/base/queen-server/target/queen-server.jar queen-server/target/queen-server.jar
#
# Environment: PGHOST PGPORT PGUSER (127.0.0.1, 5432, postgres), PORT (6693), ROUNDS (3);
# ENV_A / ENV_B add variables to side A's / B's server, LOAD_ARGS_A / LOAD_ARGS_B options to its
# load runs. One jar, authentication off against HS256 on:
#   S=$(openssl rand -hex 32); ENV_B="JWT_ENABLED=true JWT_SECRET=$S" LOAD_ARGS_B="--jwt-secret $S" \
#     queen-bench/run-ab.sh queen-server/target/queen-server.jar queen-server/target/queen-server.jar
set -euo pipefail
cd "$(dirname "$0")/.."
[[ $# == 2 && -f $1 && -f $2 ]] || { echo "usage: $0 SERVER_JAR_A SERVER_JAR_B" >&2; exit 2; }
PGHOST=${PGHOST:-127.0.0.1}; PGPORT=${PGPORT:-5432}; PGUSER=${PGUSER:-postgres}; PORT=${PORT:-6693}
ROUNDS=${ROUNDS:-3}
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || { echo "ROUNDS must be a positive integer, was '$ROUNDS'" >&2; exit 2; }
PSQL=(psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -qAt)
LOAD=(java -Xmx256m -XX:TieredStopAtLevel=1 -jar queen-bench/target/queen-load.jar
  --url "http://127.0.0.1:$PORT" --mode producer --connections 20 --partitions 100)
scratch=$(mktemp -d)
pid=; db=
cleanup() {
  [[ -n $pid ]] && { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
  [[ -n $db ]] && "${PSQL[@]}" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" || true
  rm -rf "$scratch"
}
trap cleanup EXIT
for round in $(seq 1 "$ROUNDS"); do
  for side in A B; do
    jar=$([[ $side == A ]] && echo "$1" || echo "$2")
    side_env=$([[ $side == A ]] && echo "${ENV_A:-}" || echo "${ENV_B:-}")
    side_load=$([[ $side == A ]] && echo "${LOAD_ARGS_A:-}" || echo "${LOAD_ARGS_B:-}")
    db=queen_ab_$$_$RANDOM
    "${PSQL[@]}" -c "CREATE DATABASE $db"
    env PG_HOST="$PGHOST" PG_PORT="$PGPORT" PG_DB="$db" PG_USER="$PGUSER" HOST=127.0.0.1 PORT="$PORT" \
      FILE_BUFFER_DIR="$scratch/buffer-$round-$side" LOG_LEVEL=warn $side_env java -Xmx128m -jar "$jar" > /dev/null 2>&1 &
    pid=$!
    for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$PORT/health" > /dev/null && break; sleep 0.5; done
    # shellcheck disable=SC2086
    "${LOAD[@]}" $side_load --batch 10 --duration 10 --queue-prefix warm > /dev/null 2>&1
    # shellcheck disable=SC2086
    b1=$("${LOAD[@]}" $side_load --batch 1 --duration 15 --queue-prefix b1 2>&1 | grep -o '[0-9]* msg/s' | head -1)
    # shellcheck disable=SC2086
    b10=$("${LOAD[@]}" $side_load --batch 10 --duration 15 --queue-prefix b10 2>&1 | grep -o '[0-9]* msg/s' | head -1)
    echo "round $round $side: push b1 $b1, push b10 $b10"
    kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
    "${PSQL[@]}" -c "DROP DATABASE $db WITH (FORCE)"; db=
  done
done
