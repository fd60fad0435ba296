-- Message lifecycle: retry back-off, and the record of what retention and eviction removed.

-- Retry back-off: the n-th failure of a message waits retry_delay * retry_backoff^(n-1) ms,
-- capped at retry_delay_max (0: no cap), before the group gets the partition again.
ALTER TABLE {{schema}}.queues
  ADD COLUMN retry_backoff   double precision NOT NULL DEFAULT 1,
  ADD COLUMN retry_delay_max integer NOT NULL DEFAULT 0,
  ALTER COLUMN retry_delay SET DEFAULT 0;
-- Before this version retry_delay was stored and never applied (as in the original Queen): every
-- failed message was redelivered at once. Keep that behaviour for the queues that exist; a delay
-- applies once a queue is configured with one.
UPDATE {{schema}}.queues SET retry_delay = 0 WHERE retry_delay <> 0;

-- Until when the group waits before this partition is delivered again (its head message failed
-- and waits out its back-off; FIFO holds the rest behind it). NULL or past: deliver now.
ALTER TABLE {{schema}}.partition_consumers ADD COLUMN retry_not_before timestamptz;

-- One row per retention or eviction batch and queue that removed something. kind is
-- 'retention' (retentionSeconds), 'completed_retention' (completedRetentionSeconds),
-- 'max_wait_time_eviction' (maxWaitTimeSeconds) or 'partition_cleanup' (inactive partitions).
-- Kept for METRICS_RETENTION_DAYS.
CREATE TABLE {{schema}}.retention_history (
  id         bigserial PRIMARY KEY,
  queue_name text NOT NULL,
  kind       text NOT NULL,
  count      integer NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX retention_history_created_idx ON {{schema}}.retention_history (created_at);
CREATE INDEX retention_history_queue_idx ON {{schema}}.retention_history (queue_name, created_at);
