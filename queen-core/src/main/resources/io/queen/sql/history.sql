-- The per-minute history: each instance's metrics job writes its minute; the status API reads
-- the minutes of every instance, summed where they add up.

-- name: last_minute_rates
-- (now) -> messages pushed and popped per second in the last complete minute, all instances.
SELECT coalesce(sum(w.push_messages), 0) / 60.0, coalesce(sum(w.pop_messages), 0) / 60.0
  FROM {{schema}}.worker_metrics w
 WHERE w.bucket = date_trunc('minute', ?::timestamptz) - interval '1 minute'

-- name: instance_minutes
-- (from, to, instance or null x2) -> every instance's minutes, by minute then instance.
SELECT w.bucket, w.instance_id, w.hostname, w.port, w.push_requests, w.push_messages,
       w.pop_requests, w.pop_empty, w.pop_messages, w.ack_requests, w.ack_success, w.ack_failed,
       w.dlq_messages, w.transactions, w.db_errors, w.lag_sum_ms, w.lag_count, w.lag_max_ms,
       w.parked_max, w.pool_size, w.pool_active_max, w.cpu_user_pct, w.cpu_sys_pct, w.rss_mb,
       w.heap_used_mb
  FROM {{schema}}.worker_metrics w
 WHERE w.bucket >= ? AND w.bucket < ? AND (?::text IS NULL OR w.instance_id = ?)
 ORDER BY w.bucket, w.instance_id

-- name: queue_minutes
-- (from, to, queue or null x2) -> per queue and minute, summed over instances.
SELECT q.bucket, q.queue_name, sum(q.push_requests), sum(q.push_messages), sum(q.pop_requests),
       sum(q.pop_empty), sum(q.pop_messages), sum(q.ack_requests), sum(q.ack_success),
       sum(q.ack_failed), sum(q.transactions), sum(q.lag_sum_ms), sum(q.lag_count),
       max(q.lag_max_ms), max(q.parked_max)
  FROM {{schema}}.queue_metrics q
 WHERE q.bucket >= ? AND q.bucket < ? AND (?::text IS NULL OR q.queue_name = ?)
 GROUP BY q.bucket, q.queue_name
 ORDER BY q.bucket, q.queue_name

-- name: removal_minutes
-- (from, to, queue or null x2) -> what the lifecycle removed, per minute, queue and kind.
SELECT date_trunc('minute', h.created_at), h.queue_name, h.kind, sum(h.count)
  FROM {{schema}}.retention_history h
 WHERE h.created_at >= ? AND h.created_at < ? AND (?::text IS NULL OR h.queue_name = ?)
 GROUP BY 1, 2, 3
 ORDER BY 1, 2, 3

-- name: write_instance_minute
-- One instance's minute (added to, should the job write the same minute twice).
INSERT INTO {{schema}}.worker_metrics AS w (bucket, instance_id, hostname, port, push_requests,
    push_messages, pop_requests, pop_empty, pop_messages, ack_requests, ack_success, ack_failed,
    dlq_messages, transactions, db_errors, lag_sum_ms, lag_count, lag_max_ms, parked_max,
    pool_size, pool_active_max, cpu_user_pct, cpu_sys_pct, rss_mb, heap_used_mb)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (bucket, instance_id) DO UPDATE SET
    push_requests = w.push_requests + EXCLUDED.push_requests,
    push_messages = w.push_messages + EXCLUDED.push_messages,
    pop_requests = w.pop_requests + EXCLUDED.pop_requests,
    pop_empty = w.pop_empty + EXCLUDED.pop_empty,
    pop_messages = w.pop_messages + EXCLUDED.pop_messages,
    ack_requests = w.ack_requests + EXCLUDED.ack_requests,
    ack_success = w.ack_success + EXCLUDED.ack_success,
    ack_failed = w.ack_failed + EXCLUDED.ack_failed,
    dlq_messages = w.dlq_messages + EXCLUDED.dlq_messages,
    transactions = w.transactions + EXCLUDED.transactions,
    db_errors = w.db_errors + EXCLUDED.db_errors,
    lag_sum_ms = w.lag_sum_ms + EXCLUDED.lag_sum_ms,
    lag_count = w.lag_count + EXCLUDED.lag_count,
    lag_max_ms = greatest(w.lag_max_ms, EXCLUDED.lag_max_ms),
    parked_max = greatest(w.parked_max, EXCLUDED.parked_max),
    pool_size = EXCLUDED.pool_size,
    pool_active_max = greatest(w.pool_active_max, EXCLUDED.pool_active_max),
    cpu_user_pct = EXCLUDED.cpu_user_pct, cpu_sys_pct = EXCLUDED.cpu_sys_pct,
    rss_mb = EXCLUDED.rss_mb, heap_used_mb = EXCLUDED.heap_used_mb

-- name: write_queue_minutes
-- (bucket, instance, then arrays: queue, push requests, push messages, pop requests, pop empty,
-- pop messages, ack requests, ack success, ack failed, transactions, lag sum, lag count, lag max,
-- parked max) -> one row per queue.
INSERT INTO {{schema}}.queue_metrics AS q (bucket, instance_id, queue_name, push_requests,
    push_messages, pop_requests, pop_empty, pop_messages, ack_requests, ack_success, ack_failed,
    transactions, lag_sum_ms, lag_count, lag_max_ms, parked_max)
SELECT ?, ?, u.* FROM unnest(?::text[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[],
    ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[],
    ?::bigint[], ?::int[]) AS u
ON CONFLICT (bucket, instance_id, queue_name) DO UPDATE SET
    push_requests = q.push_requests + EXCLUDED.push_requests,
    push_messages = q.push_messages + EXCLUDED.push_messages,
    pop_requests = q.pop_requests + EXCLUDED.pop_requests,
    pop_empty = q.pop_empty + EXCLUDED.pop_empty,
    pop_messages = q.pop_messages + EXCLUDED.pop_messages,
    ack_requests = q.ack_requests + EXCLUDED.ack_requests,
    ack_success = q.ack_success + EXCLUDED.ack_success,
    ack_failed = q.ack_failed + EXCLUDED.ack_failed,
    transactions = q.transactions + EXCLUDED.transactions,
    lag_sum_ms = q.lag_sum_ms + EXCLUDED.lag_sum_ms,
    lag_count = q.lag_count + EXCLUDED.lag_count,
    lag_max_ms = greatest(q.lag_max_ms, EXCLUDED.lag_max_ms),
    parked_max = greatest(q.parked_max, EXCLUDED.parked_max)

-- name: purge_metrics
-- (older than) -> minutes deleted from both tables.
WITH a AS (DELETE FROM {{schema}}.worker_metrics WHERE bucket < ? RETURNING 1),
     b AS (DELETE FROM {{schema}}.queue_metrics WHERE bucket < ? RETURNING 1)
SELECT (SELECT count(*) FROM a) + (SELECT count(*) FROM b)

-- name: parked_minutes
-- (from, to, queue or null x2) -> per minute, queue and instance: the most long polls parked.
SELECT q.bucket, q.queue_name, q.instance_id, coalesce(w.hostname, ''), q.parked_max
  FROM {{schema}}.queue_metrics q
  LEFT JOIN {{schema}}.worker_metrics w ON w.bucket = q.bucket AND w.instance_id = q.instance_id
 WHERE q.bucket >= ? AND q.bucket < ? AND (?::text IS NULL OR q.queue_name = ?)
   AND q.parked_max > 0
 ORDER BY q.bucket, q.queue_name, q.instance_id

-- name: pushed_per_bucket
-- (unit: minute, hour or day; from, to, queue or null x2) -> messages pushed per bucket.
SELECT date_trunc(?, q.bucket) AS b, sum(q.push_messages)
  FROM {{schema}}.queue_metrics q
 WHERE q.bucket >= ? AND q.bucket < ? AND (?::text IS NULL OR q.queue_name = ?)
 GROUP BY 1 ORDER BY 1
