-- What queues hold, from counters: each partition's last_seq less what deletions removed
-- (partition_removals), each cursor, and
-- the (small) dead-letter and per-message state tables. See MessageCounts for the states.

-- name: partition_counts
-- (now, queue or null x2, namespace or null x2, task or null x2) -> one row per partition:
-- queue id, name, namespace, task, priority, created; partition id, name, created, last activity,
-- newest message; total, unconsumed, processing, failed, dead letters, consumed, batches.
WITH cur AS (
  SELECT pc.partition_id,
         coalesce(max(pc.cursor_seq) FILTER (WHERE pc.consumer_group = '__QUEUE_MODE__'),
                  min(pc.cursor_seq)) AS cursor_seq,
         coalesce(max(greatest(pc.lease_last_seq - pc.cursor_seq, 0))
                    FILTER (WHERE pc.consumer_group = '__QUEUE_MODE__' AND pc.lease_expires_at > ?),
                  max(greatest(pc.lease_last_seq - pc.cursor_seq, 0))
                    FILTER (WHERE pc.lease_expires_at > ?), 0) AS leased,
         sum(pc.total_messages_consumed) AS consumed, sum(pc.total_batches_consumed) AS batches
    FROM {{schema}}.partition_consumers pc
   GROUP BY pc.partition_id),
     failed AS (
  SELECT s.partition_id, count(DISTINCT s.seq) AS n FROM {{schema}}.message_states s
   WHERE s.failure_count > 0 AND NOT s.settled GROUP BY s.partition_id),
     dlq AS (
  SELECT d.partition_id, count(DISTINCT d.message_id) AS n FROM {{schema}}.dead_letter_queue d
   GROUP BY d.partition_id)
SELECT qu.id, qu.name, qu.namespace, qu.task, qu.priority, qu.created_at,
       pa.id, pa.name, pa.created_at, pa.last_activity, pa.last_message_at,
       pa.last_seq - coalesce(rm.removed, 0),
       least(pa.last_seq - coalesce(rm.removed, 0),
             greatest(pa.last_seq - coalesce(cur.cursor_seq, 0), 0)) AS unconsumed,
       coalesce(cur.leased, 0), coalesce(failed.n, 0), coalesce(dlq.n, 0),
       coalesce(cur.consumed, 0), coalesce(cur.batches, 0)
  FROM {{schema}}.queues qu
  JOIN {{schema}}.partitions pa ON pa.queue_id = qu.id
  LEFT JOIN cur ON cur.partition_id = pa.id
  LEFT JOIN failed ON failed.partition_id = pa.id
  LEFT JOIN dlq ON dlq.partition_id = pa.id
  LEFT JOIN {{schema}}.partition_removals rm ON rm.partition_id = pa.id
 WHERE (?::text IS NULL OR qu.name = ?) AND (?::text IS NULL OR qu.namespace = ?)
   AND (?::text IS NULL OR qu.task = ?)
 ORDER BY qu.created_at DESC, qu.name, pa.name

-- name: oldest_messages
-- (queue) -> each partition's oldest stored message's push time: one index probe per partition.
SELECT pa.id, (SELECT m.created_at FROM {{schema}}.messages m
                WHERE m.partition_id = pa.id ORDER BY m.seq LIMIT 1)
  FROM {{schema}}.partitions pa JOIN {{schema}}.queues qu ON qu.id = pa.queue_id
 WHERE qu.name = ?

-- name: queue_options
-- (queue) -> its whole configuration, in the order of QueueOptions' components.
SELECT qu.lease_time, qu.retry_limit, qu.retry_delay, qu.retry_backoff, qu.retry_delay_max,
       qu.priority, qu.delayed_processing, qu.window_buffer, qu.max_queue_size, qu.ttl,
       qu.dead_letter_queue, qu.dlq_after_max_retries, qu.retention_seconds,
       qu.completed_retention_seconds, qu.retention_enabled, qu.encryption_enabled,
       qu.max_wait_time_seconds
  FROM {{schema}}.queues qu WHERE qu.name = ?

-- name: empty_queues
-- Queues without a partition (cannot happen through Queen, which makes Default, but a partition
-- cleanup may leave one): id, name, namespace, task, priority, created.
SELECT qu.id, qu.name, qu.namespace, qu.task, qu.priority, qu.created_at
  FROM {{schema}}.queues qu
 WHERE NOT EXISTS (SELECT 1 FROM {{schema}}.partitions pa WHERE pa.queue_id = qu.id)
   AND (?::text IS NULL OR qu.name = ?) AND (?::text IS NULL OR qu.namespace = ?)
   AND (?::text IS NULL OR qu.task = ?)

-- name: recount_messages
-- Corrects every partition whose removal counter disagrees with a real count of its messages;
-- returns how many. One statement: last_seq and the count come from one snapshot.
WITH real AS (SELECT pa.id, pa.last_seq - (SELECT count(*) FROM {{schema}}.messages m
                                            WHERE m.partition_id = pa.id) AS removed
                FROM {{schema}}.partitions pa),
     fixed AS (INSERT INTO {{schema}}.partition_removals AS r (partition_id, removed)
               SELECT real.id, real.removed FROM real
                 LEFT JOIN {{schema}}.partition_removals cur ON cur.partition_id = real.id
                WHERE coalesce(cur.removed, 0) <> real.removed
               ON CONFLICT (partition_id) DO UPDATE SET removed = EXCLUDED.removed
               RETURNING 1)
SELECT count(*)::int FROM fixed

-- name: lease_summary
-- (now, queue or null x2, namespace or null x2, task or null x2) -> live leases, partitions under
-- one, acks received under them, messages they cover.
SELECT count(*)::int, count(DISTINCT pc.partition_id)::int, coalesce(sum(pc.acked_count), 0),
       coalesce(sum(pc.batch_size), 0)
  FROM {{schema}}.partition_consumers pc
  JOIN {{schema}}.partitions pa ON pa.id = pc.partition_id
  JOIN {{schema}}.queues qu ON qu.id = pa.queue_id
 WHERE pc.worker_id IS NOT NULL AND pc.lease_expires_at > ?
   AND (?::text IS NULL OR qu.name = ?) AND (?::text IS NULL OR qu.namespace = ?)
   AND (?::text IS NULL OR qu.task = ?)

-- name: dead_letter_summary
-- (queue or null x2, namespace or null x2, task or null x2) -> entries, partitions with any.
SELECT count(*), count(DISTINCT d.partition_id)::int
  FROM {{schema}}.dead_letter_queue d
  JOIN {{schema}}.partitions pa ON pa.id = d.partition_id
  JOIN {{schema}}.queues qu ON qu.id = pa.queue_id
 WHERE (?::text IS NULL OR qu.name = ?) AND (?::text IS NULL OR qu.namespace = ?)
   AND (?::text IS NULL OR qu.task = ?)

-- name: dead_letter_top_errors
-- (queue or null x2, namespace or null x2, task or null x2) -> the five most frequent errors.
SELECT coalesce(d.error_message, ''), count(*)
  FROM {{schema}}.dead_letter_queue d
  JOIN {{schema}}.partitions pa ON pa.id = d.partition_id
  JOIN {{schema}}.queues qu ON qu.id = pa.queue_id
 WHERE (?::text IS NULL OR qu.name = ?) AND (?::text IS NULL OR qu.namespace = ?)
   AND (?::text IS NULL OR qu.task = ?)
 GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 5

-- name: snapshot_transaction
-- First statement of a multi-statement read that must see one snapshot.
SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY

-- name: bounded_read
-- First statement of an operations-API read: it gives up after this long, so that a read nobody
-- waits for any more (the client gave up, the server stopped) cannot hold a core of PostgreSQL.
SET LOCAL statement_timeout = '30s'
