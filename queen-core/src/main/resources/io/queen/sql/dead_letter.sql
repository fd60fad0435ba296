-- The dead-letter queue: listing and requeueing. The list's filter arguments come in pairs
-- (value, value): queue, partition, group, failed from, failed before; null means any.

-- name: list_dead_letters
-- One page and the number of all entries that match: always one row at least; on a page past the
-- end, the entry columns are null.
WITH matching AS (
  SELECT d.id, d.message_id, m.transaction_id, d.partition_id, qu.name AS queue_name,
         pa.name AS partition_name, d.consumer_group, d.error_message, d.retry_count,
         m.payload::text AS payload, m.producer_sub, m.created_at, d.failed_at, m.is_encrypted
    FROM {{schema}}.dead_letter_queue d
    JOIN {{schema}}.messages m ON m.id = d.message_id
    JOIN {{schema}}.partitions pa ON pa.id = d.partition_id
    JOIN {{schema}}.queues qu ON qu.id = pa.queue_id
   WHERE (?::text IS NULL OR qu.name = ?) AND (?::text IS NULL OR pa.name = ?)
     AND (?::text IS NULL OR d.consumer_group = ?)
     AND (?::timestamptz IS NULL OR d.failed_at >= ?)
     AND (?::timestamptz IS NULL OR d.failed_at < ?))
SELECT page.message_id, page.transaction_id, page.partition_id, page.queue_name,
       page.partition_name, page.consumer_group, page.error_message, page.retry_count,
       page.payload, page.producer_sub, page.created_at, page.failed_at, total.n,
       page.is_encrypted
  FROM (SELECT count(*) AS n FROM matching) total
  LEFT JOIN LATERAL (SELECT * FROM matching ORDER BY failed_at DESC, id LIMIT ? OFFSET ?) page
    ON true
 ORDER BY page.failed_at DESC, page.id

-- name: requeue_dead_letters
-- (queue, group or null, message ids or null = all) -> entries requeued.
SELECT {{schema}}.requeue_dlq_v1(?, ?, ?)
