-- PostgreSQL's own statistics about Queen's tables, for the analytics page: one JSON document
-- built by PostgreSQL (read-only catalog and statistics views, no table data).

-- name: postgres_stats
-- (schema x6) -> the document as JSON text.
SELECT json_build_object(
  'timestamp', to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
  'database', (SELECT json_build_object('name', d.datname, 'sizeBytes', pg_database_size(d.datname),
                       'connections', d.numbackends, 'commits', d.xact_commit,
                       'rollbacks', d.xact_rollback, 'deadlocks', d.deadlocks,
                       'tempBytes', d.temp_bytes)
                 FROM pg_stat_database d WHERE d.datname = current_database()),
  'databaseCache', (SELECT json_build_object('hits', d.blks_hit, 'reads', d.blks_read,
                            'hitRatio', round(100.0 * d.blks_hit / nullif(d.blks_hit + d.blks_read, 0), 2))
                      FROM pg_stat_database d WHERE d.datname = current_database()),
  'cacheSummary', json_build_object(
      'tables', (SELECT json_build_object('hits', coalesce(sum(t.heap_blks_hit), 0),
                         'reads', coalesce(sum(t.heap_blks_read), 0),
                         'hitRatio', round(100.0 * sum(t.heap_blks_hit)
                                           / nullif(sum(t.heap_blks_hit + t.heap_blks_read), 0), 2))
                   FROM pg_statio_user_tables t WHERE t.schemaname = ?),
      'indexes', (SELECT json_build_object('hits', coalesce(sum(i.idx_blks_hit), 0),
                          'reads', coalesce(sum(i.idx_blks_read), 0),
                          'hitRatio', round(100.0 * sum(i.idx_blks_hit)
                                            / nullif(sum(i.idx_blks_hit + i.idx_blks_read), 0), 2))
                    FROM pg_statio_user_indexes i WHERE i.schemaname = ?)),
  'tableSizes', (SELECT coalesce(json_agg(json_build_object('table', t.relname,
                          'totalBytes', pg_total_relation_size(t.relid),
                          'heapBytes', pg_relation_size(t.relid),
                          'indexBytes', pg_indexes_size(t.relid),
                          'liveRows', t.n_live_tup) ORDER BY pg_total_relation_size(t.relid) DESC), '[]')
                   FROM pg_stat_user_tables t WHERE t.schemaname = ?),
  'deadTuples', (SELECT coalesce(json_agg(json_build_object('table', t.relname,
                          'dead', t.n_dead_tup, 'live', t.n_live_tup,
                          'deadRatio', round(100.0 * t.n_dead_tup / nullif(t.n_live_tup + t.n_dead_tup, 0), 2))
                          ORDER BY t.n_dead_tup DESC), '[]')
                   FROM pg_stat_user_tables t WHERE t.schemaname = ?),
  'hotUpdates', (SELECT coalesce(json_agg(json_build_object('table', t.relname,
                          'updates', t.n_tup_upd, 'hotUpdates', t.n_tup_hot_upd,
                          'hotRatio', round(100.0 * t.n_tup_hot_upd / nullif(t.n_tup_upd, 0), 2))
                          ORDER BY t.n_tup_upd DESC), '[]')
                   FROM pg_stat_user_tables t WHERE t.schemaname = ?),
  'autovacuumStatus', (SELECT coalesce(json_agg(json_build_object('table', t.relname,
                          'lastVacuum', t.last_vacuum, 'lastAutovacuum', t.last_autovacuum,
                          'lastAnalyze', t.last_analyze, 'lastAutoanalyze', t.last_autoanalyze,
                          'vacuumCount', t.vacuum_count, 'autovacuumCount', t.autovacuum_count)
                          ORDER BY t.relname), '[]')
                         FROM pg_stat_user_tables t WHERE t.schemaname = ?),
  'autovacuumEnabled', current_setting('autovacuum') = 'on',
  'bufferConfig', json_build_object('sharedBuffers', current_setting('shared_buffers'),
                                    'effectiveCacheSize', current_setting('effective_cache_size'),
                                    'workMem', current_setting('work_mem')),
  'activeQueries', (SELECT coalesce(json_agg(json_build_object('pid', a.pid, 'state', a.state,
                            'application', a.application_name, 'waitEvent', a.wait_event,
                            'seconds', round(extract(epoch FROM (now() - a.query_start))::numeric, 3),
                            'query', left(a.query, 200)) ORDER BY a.query_start), '[]')
                      FROM pg_stat_activity a
                     WHERE a.datname = current_database() AND a.state <> 'idle'
                       AND a.pid <> pg_backend_pid()))::text
