-- Background jobs.

-- name: job_lock
-- A cluster-wide singleton job's run: true when this instance may run it now (released at commit).
SELECT pg_try_advisory_xact_lock(hashtext(?))

-- name: stale_tables
-- Queen's tables whose planner statistics fell behind: the file more than doubled (plus 8 pages)
-- since the planner last measured it, or more than 10 % (and 1,000) of the rows changed and the
-- last ANALYZE is over 10 s old.
SELECT t.relname
  FROM pg_stat_user_tables t
  JOIN pg_class k ON k.oid = t.relid
 WHERE t.schemaname = ?
   AND (pg_relation_size(t.relid) > (2 * k.relpages + 8)::bigint * current_setting('block_size')::int
        OR (t.n_mod_since_analyze > greatest(1000, 0.1 * t.n_live_tup)
            AND coalesce(greatest(t.last_analyze, t.last_autoanalyze), '-infinity')
                < now() - interval '10 seconds'))

-- name: analyze_table
-- {{table}} is a name stale_tables returned, quoted by the caller.
ANALYZE {{schema}}.{{table}}

-- name: retention
-- One retention batch: (now, batch size, partitions idle since, history older than) -> removed
-- per queue and kind.
SELECT queue_name, kind, removed FROM {{schema}}.retention_v1(?, ?, ?, ?)

-- name: evict
-- One eviction batch: (now, batch size) -> removed per queue.
SELECT queue_name, kind, removed FROM {{schema}}.evict_v1(?, ?)
