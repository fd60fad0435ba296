-- Consumer-group administration: the cursors with their lag, and the writes (functions in
-- schema/functions/admin.sql). Lag is counted from each partition's last_seq and the cursor, and
-- the time lag is one index probe for the oldest unconsumed message: nothing scans messages.

-- name: group_cursors
-- (now, group or null = every group, minimum time lag in seconds or null) -> one row per cursor,
-- by group, queue, partition.
SELECT c.consumer_group, qu.name, pa.name, pa.id,
       CASE WHEN c.lease_expires_at > ? THEN c.worker_id::text END AS lease_id,
       c.lag, CASE WHEN nm.created_at IS NULL THEN 0
                   ELSE greatest(0, floor(extract(epoch FROM (?::timestamptz - nm.created_at))))::bigint END,
       nm.created_at, c.last_consumed_at, c.total_messages_consumed,
       c.lease_expires_at > ? AS lease_active
  FROM (SELECT pc.*, least(p1.last_seq - coalesce(rm.removed, 0),
                            greatest(p1.last_seq - pc.cursor_seq, 0)) AS lag
          FROM {{schema}}.partition_consumers pc
          JOIN {{schema}}.partitions p1 ON p1.id = pc.partition_id
          LEFT JOIN {{schema}}.partition_removals rm ON rm.partition_id = pc.partition_id
         WHERE (?::text IS NULL OR pc.consumer_group = ?)) c
  JOIN {{schema}}.partitions pa ON pa.id = c.partition_id
  JOIN {{schema}}.queues qu ON qu.id = pa.queue_id
  LEFT JOIN LATERAL (SELECT m.created_at FROM {{schema}}.messages m
                      WHERE c.lag > 0 AND m.partition_id = c.partition_id AND m.seq > c.cursor_seq
                      ORDER BY m.seq LIMIT 1) nm ON true
 WHERE ?::bigint IS NULL
    OR nm.created_at <= ?::timestamptz - make_interval(secs => ?::bigint)
 ORDER BY c.consumer_group, qu.name, pa.name

-- name: every_cursor
-- (now, now) -> one row per cursor of every group, by group, queue, partition, without the age of
-- its oldest unconsumed message: group, queue, partition, partition id, lease id, lag, last
-- consumed, total consumed, lease active, cursor seq, messages the partition lost to deletions.
SELECT pc.consumer_group, qu.name, pa.name, pa.id,
       CASE WHEN pc.lease_expires_at > ? THEN pc.worker_id::text END AS lease_id,
       least(pa.last_seq - coalesce(rm.removed, 0), greatest(pa.last_seq - pc.cursor_seq, 0)),
       pc.last_consumed_at, pc.total_messages_consumed, pc.lease_expires_at > ? AS lease_active,
       pc.cursor_seq, coalesce(rm.removed, 0)
  FROM {{schema}}.partition_consumers pc
  JOIN {{schema}}.partitions pa ON pa.id = pc.partition_id
  JOIN {{schema}}.queues qu ON qu.id = pa.queue_id
  LEFT JOIN {{schema}}.partition_removals rm ON rm.partition_id = pc.partition_id
 ORDER BY pc.consumer_group, qu.name, pa.name

-- name: oldest_after_cursors
-- (partition ids, cursor seqs) -> for each pair by position (from 1), the push time of the
-- partition's first message after the cursor (null: none); one index probe each.
SELECT u.i, (SELECT m.created_at FROM {{schema}}.messages m
              WHERE m.partition_id = u.pid AND m.seq > u.seq ORDER BY m.seq LIMIT 1)
  FROM unnest(?::uuid[], ?::bigint[]) WITH ORDINALITY AS u(pid, seq, i)

-- name: group_subscriptions
-- (group or null) -> every subscription record: group, queue, mode, start, created.
SELECT g.consumer_group, g.queue_name, g.subscription_mode, g.subscription_timestamp, g.created_at
  FROM {{schema}}.consumer_groups_metadata g
 WHERE ?::text IS NULL OR g.consumer_group = ?
 ORDER BY g.consumer_group, g.queue_name

-- name: group_exists
-- (group, group) -> whether it has a cursor or a subscription anywhere.
SELECT EXISTS (SELECT 1 FROM {{schema}}.partition_consumers pc WHERE pc.consumer_group = ?)
    OR EXISTS (SELECT 1 FROM {{schema}}.consumer_groups_metadata g WHERE g.consumer_group = ?)

-- name: queue_exists
SELECT EXISTS (SELECT 1 FROM {{schema}}.queues qu WHERE qu.name = ?)

-- name: delete_consumer_group
-- (group, queue or null, delete metadata) -> cursors deleted, subscription records deleted.
SELECT deleted_partitions, metadata_deleted FROM {{schema}}.delete_consumer_group_v1(?, ?, ?)

-- name: update_subscription
-- (timestamp, group) -> subscription records changed.
UPDATE {{schema}}.consumer_groups_metadata
   SET subscription_mode = 'timestamp', subscription_timestamp = ?
 WHERE consumer_group = ?

-- name: seek_queue
-- (group, queue, to end, timestamp or null) -> one row per cursor moved.
SELECT partition_name, cursor_seq FROM {{schema}}.seek_queue_v1(?, ?, ?, ?)

-- name: seek_partition
-- (group, queue, partition, now) -> the push time of the message the cursor is now at, or null.
SELECT {{schema}}.seek_partition_v1(?, ?, ?, ?)
