#!/usr/bin/env bash
# Statements per message: the standard matrix against a private PostgreSQL cluster that loads
# pg_stat_statements (the shared one at 5432 does not, and loading it needs a restart this script
# must not impose on anyone). initdb's a throw-away cluster in a temporary directory with the same
# durability as the default (fsync, synchronous_commit on) and the shared cluster's other settings
# (shared_buffers 128MB, max_connections 100, autovacuum off), starts it on PORT_PG, runs
# run-matrix.sh against it (its "Cost per message" table then fills the statements/msg column:
# every statement PostgreSQL executed, nested ones inside our functions included, per message),
# prints the top statements of the whole run, then stops the cluster and deletes it.
#
#   queen-bench/run-statements.sh                 # report in queen-bench/target/statements
#   OUT=/tmp/s DOC=/tmp/s.md queen-bench/run-statements.sh
#
# Environment: PORT_PG (5439) PG_BIN (/usr/lib/postgresql/<newest>/bin) OUT DOC, and whatever
#   run-matrix.sh reads (DURATION, WARMUP, QUEEN_GIT_DIR, ...). As root the cluster runs as the
#   postgres user (initdb refuses root).
set -euo pipefail
cd "$(dirname "$0")/.."
PORT_PG=${PORT_PG:-5439}
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)}
OUT=${OUT:-queen-bench/target/statements}
DOC=${DOC:-$OUT/report.md}
mkdir -p "$OUT"
WORK=$(mktemp -d /tmp/queen-statements.XXXXXX)
AS=()
if [[ $(id -u) == 0 ]]; then chown postgres "$WORK"; AS=(runuser -u postgres --); fi
stop() {
  "${AS[@]}" "$PG_BIN/pg_ctl" -D "$WORK/data" -m fast -w stop > /dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap stop EXIT
"${AS[@]}" "$PG_BIN/initdb" -D "$WORK/data" -U postgres --auth=trust > "$WORK/initdb.log"
"${AS[@]}" "$PG_BIN/pg_ctl" -D "$WORK/data" -l "$WORK/server.log" -w -o \
  "-p $PORT_PG -k $WORK -c listen_addresses=127.0.0.1 -c shared_preload_libraries=pg_stat_statements \
   -c pg_stat_statements.track=all -c pg_stat_statements.max=5000 -c max_connections=100 \
   -c shared_buffers=128MB -c autovacuum=off" start > /dev/null
psql -h 127.0.0.1 -p "$PORT_PG" -U postgres -d postgres -qAt -c "CREATE EXTENSION pg_stat_statements"
PGPORT=$PORT_PG OUT="$OUT/matrix" DOC="$DOC" queen-bench/run-matrix.sh
echo "== the statements executed most often over the whole run (toplevel = sent by a client)"
psql -h 127.0.0.1 -p "$PORT_PG" -U postgres -d postgres -P pager=off -c "
  SELECT s.calls, s.toplevel, round(s.total_exec_time::numeric) AS total_ms,
         left(regexp_replace(s.query, '\s+', ' ', 'g'), 110) AS statement
    FROM pg_stat_statements s -- the matrix's database is dropped by now: every other one is ours
   WHERE s.dbid <> (SELECT oid FROM pg_database WHERE datname = 'postgres')
   ORDER BY s.calls DESC LIMIT 25" | tee "$OUT/top-statements.txt"
