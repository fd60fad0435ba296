-- The message browser: pages of stored messages with their derived status, one message whole,
-- and the operator's deletions (functions in schema/functions/admin.sql).

-- name: browse_messages
-- (now, queue x2, partition x2, namespace x2, task x2, lowest id, highest id, from, to,
-- status x2, limit, offset) -> a page, newest first, walking the primary key from the highest id:
-- right without filters (every message matches). The id bounds (UUIDv7, so time-ordered) let the
-- index find the time range without a scan of older messages.
SELECT m.id, m.transaction_id, m.partition_id, qu.name, pa.name, qu.namespace, qu.task,
       st.status, st.consumed_by, st.total_groups, m.trace_id, m.producer_sub, qu.priority,
       m.created_at, st.lease_expires_at
  FROM {{schema}}.messages m
  JOIN {{schema}}.partitions pa ON pa.id = m.partition_id
  JOIN {{schema}}.queues qu ON qu.id = pa.queue_id
  CROSS JOIN LATERAL {{schema}}.message_status_v1(m.partition_id, m.seq, m.id, ?) st
 WHERE (?::text IS NULL OR qu.name = ?) AND (?::text IS NULL OR pa.name = ?)
   AND (?::text IS NULL OR qu.namespace = ?) AND (?::text IS NULL OR qu.task = ?)
   AND m.id >= ? AND m.id <= ? AND m.created_at >= ? AND m.created_at < ?
   AND (?::text IS NULL OR st.status = ?)
 ORDER BY m.id DESC
 LIMIT ? OFFSET ?

-- name: browse_partitions
-- (now, queue, partition, namespace, task, lowest id, highest id, from, to, status, now,
-- limit + offset, candidate partitions, their cutoff, limit, offset) -> the same page for a
-- filtered query: browse_newest_v2 walks only the partitions that match, newest first, and stops
-- once the page is certain.
SELECT m.id, m.transaction_id, m.partition_id, qu.name, pa.name, qu.namespace, qu.task,
       st.status, st.consumed_by, st.total_groups, m.trace_id, m.producer_sub, qu.priority,
       m.created_at, st.lease_expires_at
  FROM {{schema}}.messages m
  JOIN {{schema}}.partitions pa ON pa.id = m.partition_id
  JOIN {{schema}}.queues qu ON qu.id = pa.queue_id
  CROSS JOIN LATERAL {{schema}}.message_status_v1(m.partition_id, m.seq, m.id, ?) st
 WHERE m.id IN (SELECT {{schema}}.browse_newest_v2(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::uuid[], ?::timestamptz))
 ORDER BY m.id DESC
 LIMIT ? OFFSET ?

-- name: browse_recent_partitions
-- (queue, count) -> the queue's partitions pushed to last, newest first, with their newest push.
SELECT pa.id, pa.last_message_at
  FROM {{schema}}.partitions pa
 WHERE pa.queue_id = (SELECT qu.id FROM {{schema}}.queues qu WHERE qu.name = ?)
   AND pa.last_message_at IS NOT NULL
 ORDER BY pa.last_message_at DESC, pa.id
 LIMIT ?

-- name: message_detail
-- (partition id, transaction id) -> the message with its payload and its queue's name.
SELECT m.id, m.seq, m.payload::text, m.is_encrypted, qu.name
  FROM {{schema}}.messages m
  JOIN {{schema}}.partitions pa ON pa.id = m.partition_id
  JOIN {{schema}}.queues qu ON qu.id = pa.queue_id
 WHERE m.partition_id = ? AND m.transaction_id = ?

-- name: message_groups
-- (seq, now, seq, seq, seq, message id, partition id) -> each group with a cursor on the
-- message's partition: whether it
-- consumed the message, its lease's expiry when the message is in it, its failures and error
-- (per-message state, else its dead-letter entry).
SELECT pc.consumer_group,
       coalesce(s.settled, pc.cursor_seq >= ?) AS consumed,
       CASE WHEN pc.lease_expires_at > ? AND ? > pc.cursor_seq AND ? <= pc.lease_last_seq
            THEN pc.lease_expires_at END,
       coalesce(s.failure_count, d.retry_count, 0), coalesce(s.last_error, d.error_message)
  FROM {{schema}}.partition_consumers pc
  LEFT JOIN {{schema}}.message_states s
    ON s.partition_id = pc.partition_id AND s.consumer_group = pc.consumer_group AND s.seq = ?
  LEFT JOIN {{schema}}.dead_letter_queue d
    ON d.message_id = ? AND d.consumer_group = pc.consumer_group
 WHERE pc.partition_id = ?
 ORDER BY pc.consumer_group

-- name: delete_message
-- (partition id, transaction id) -> whether it existed.
SELECT {{schema}}.delete_message_v1(?, ?)

-- name: purge
-- One batch: (queue, partition or null, batch size, now) -> messages deleted.
SELECT {{schema}}.purge_v1(?, ?, ?, ?)

-- name: partition_exists
-- (queue, partition) -> whether the queue has that partition.
SELECT EXISTS (SELECT 1 FROM {{schema}}.partitions pa JOIN {{schema}}.queues qu ON qu.id = pa.queue_id
                WHERE qu.name = ? AND pa.name = ?)
