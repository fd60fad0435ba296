-- The dead-letter queue: listing and requeueing. The filter arguments come in pairs
-- (value, value): queue, partition, group, failed from, failed before; null means any.

-- name: list_dead_letters
SELECT d.message_id, m.transaction_id, d.partition_id, qu.name, pa.name, d.consumer_group,
       d.error_message, d.retry_count, m.payload::text, m.producer_sub, m.created_at, d.failed_at
  FROM {{schema}}.dead_letter_queue d
  JOIN {{schema}}.messages m ON m.id = d.message_id
  JOIN {{schema}}.partitions pa ON pa.id = d.partition_id
  JOIN {{schema}}.queues qu ON qu.id = pa.queue_id
 WHERE (?::text IS NULL OR qu.name = ?) AND (?::text IS NULL OR pa.name = ?)
   AND (?::text IS NULL OR d.consumer_group = ?)
   AND (?::timestamptz IS NULL OR d.failed_at >= ?)
   AND (?::timestamptz IS NULL OR d.failed_at < ?)
 ORDER BY d.failed_at DESC, d.id
 LIMIT ? OFFSET ?

-- name: count_dead_letters
SELECT count(*)
  FROM {{schema}}.dead_letter_queue d
  JOIN {{schema}}.messages m ON m.id = d.message_id
  JOIN {{schema}}.partitions pa ON pa.id = d.partition_id
  JOIN {{schema}}.queues qu ON qu.id = pa.queue_id
 WHERE (?::text IS NULL OR qu.name = ?) AND (?::text IS NULL OR pa.name = ?)
   AND (?::text IS NULL OR d.consumer_group = ?)
   AND (?::timestamptz IS NULL OR d.failed_at >= ?)
   AND (?::timestamptz IS NULL OR d.failed_at < ?)

-- name: requeue_dead_letters
-- (queue, group or null, message ids or null = all) -> entries requeued.
SELECT {{schema}}.requeue_dlq_v1(?, ?, ?)
