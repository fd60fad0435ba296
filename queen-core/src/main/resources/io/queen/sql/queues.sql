-- The queue catalog: configure and delete.

-- name: configure_queue
-- Creates the queue or replaces every option; returns its id.
INSERT INTO {{schema}}.queues (id, name, namespace, task, priority, lease_time, retry_limit,
    retry_delay, retry_backoff, retry_delay_max, ttl, dead_letter_queue, dlq_after_max_retries,
    delayed_processing, window_buffer, retention_seconds, completed_retention_seconds,
    retention_enabled, encryption_enabled, max_wait_time_seconds, max_queue_size, created_at)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (name) DO UPDATE SET namespace = EXCLUDED.namespace, task = EXCLUDED.task,
    priority = EXCLUDED.priority, lease_time = EXCLUDED.lease_time,
    retry_limit = EXCLUDED.retry_limit, retry_delay = EXCLUDED.retry_delay,
    retry_backoff = EXCLUDED.retry_backoff, retry_delay_max = EXCLUDED.retry_delay_max,
    ttl = EXCLUDED.ttl,
    dead_letter_queue = EXCLUDED.dead_letter_queue,
    dlq_after_max_retries = EXCLUDED.dlq_after_max_retries,
    delayed_processing = EXCLUDED.delayed_processing, window_buffer = EXCLUDED.window_buffer,
    retention_seconds = EXCLUDED.retention_seconds,
    completed_retention_seconds = EXCLUDED.completed_retention_seconds,
    retention_enabled = EXCLUDED.retention_enabled,
    encryption_enabled = EXCLUDED.encryption_enabled,
    max_wait_time_seconds = EXCLUDED.max_wait_time_seconds, max_queue_size = EXCLUDED.max_queue_size
RETURNING id

-- name: create_default_partition
INSERT INTO {{schema}}.partitions (id, queue_id, name, created_at, last_activity)
VALUES (?, ?, 'Default', ?, ?)
ON CONFLICT (queue_id, name) DO NOTHING

-- name: default_partition_id
SELECT id FROM {{schema}}.partitions WHERE queue_id = ? AND name = 'Default'

-- name: delete_queue
-- (queue name) -> whether it existed; its partitions, messages and what references them go too.
SELECT {{schema}}.delete_queue_v1(?)

-- name: delete_group_metadata
-- The groups' start points on the queue: a queue created again with this name starts afresh.
DELETE FROM {{schema}}.consumer_groups_metadata WHERE queue_name = ?

-- name: delete_queue_history
DELETE FROM {{schema}}.retention_history WHERE queue_name = ?

-- name: encrypted_queues
-- The names of the queues with encryptionEnabled (QueueEncryption's knowledge).
SELECT name FROM {{schema}}.queues WHERE encryption_enabled
