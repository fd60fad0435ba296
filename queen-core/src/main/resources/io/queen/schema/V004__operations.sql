-- The operations API: counts that cost no scan, and the per-minute history of each instance.

-- How many messages each partition lost to deletions (retention, eviction, an operator's delete
-- or purge), added by the statement that deletes them. A partition holds last_seq - removed
-- messages: with the cursors that gives every count the status API shows without counting rows.
-- A table of its own, not a column of partitions, so that a deletion never takes the partition
-- row's lock that every push to the partition takes.
CREATE TABLE {{schema}}.partition_removals (
  partition_id uuid PRIMARY KEY REFERENCES {{schema}}.partitions (id) ON DELETE CASCADE,
  removed      bigint NOT NULL DEFAULT 0
);
-- What retention removed before this version.
INSERT INTO {{schema}}.partition_removals (partition_id, removed)
SELECT pa.id, pa.last_seq - c.n
  FROM {{schema}}.partitions pa
  CROSS JOIN LATERAL (SELECT count(*) AS n FROM {{schema}}.messages m WHERE m.partition_id = pa.id) c
 WHERE pa.last_seq > c.n;

-- One row per instance and minute: what it did in that minute, flushed by its metrics job, so
-- time series survive restarts and several instances on one database add up. Kept for
-- METRICS_RETENTION_DAYS.
CREATE TABLE {{schema}}.worker_metrics (
  bucket            timestamptz NOT NULL,
  instance_id       text NOT NULL,
  hostname          text NOT NULL,
  port              integer NOT NULL DEFAULT 0,
  push_requests     bigint NOT NULL DEFAULT 0,
  push_messages     bigint NOT NULL DEFAULT 0,
  pop_requests      bigint NOT NULL DEFAULT 0,
  pop_empty         bigint NOT NULL DEFAULT 0,
  pop_messages      bigint NOT NULL DEFAULT 0,
  ack_requests      bigint NOT NULL DEFAULT 0,
  ack_success       bigint NOT NULL DEFAULT 0,
  ack_failed        bigint NOT NULL DEFAULT 0,
  dlq_messages      bigint NOT NULL DEFAULT 0,
  transactions      bigint NOT NULL DEFAULT 0,
  db_errors         bigint NOT NULL DEFAULT 0,
  lag_sum_ms        bigint NOT NULL DEFAULT 0,
  lag_count         bigint NOT NULL DEFAULT 0,
  lag_max_ms        bigint NOT NULL DEFAULT 0,
  parked_max        integer NOT NULL DEFAULT 0,
  pool_size         integer NOT NULL DEFAULT 0,
  pool_active_max   integer NOT NULL DEFAULT 0,
  cpu_user_pct      double precision NOT NULL DEFAULT 0,
  cpu_sys_pct       double precision NOT NULL DEFAULT 0,
  rss_mb            double precision NOT NULL DEFAULT 0,
  heap_used_mb      double precision NOT NULL DEFAULT 0,
  PRIMARY KEY (bucket, instance_id)
);

-- The same per queue (pushes, pops, acks, lag), for queue-ops and queue-lag.
CREATE TABLE {{schema}}.queue_metrics (
  bucket         timestamptz NOT NULL,
  instance_id    text NOT NULL,
  queue_name     text NOT NULL,
  push_requests  bigint NOT NULL DEFAULT 0,
  push_messages  bigint NOT NULL DEFAULT 0,
  pop_requests   bigint NOT NULL DEFAULT 0,
  pop_empty      bigint NOT NULL DEFAULT 0,
  pop_messages   bigint NOT NULL DEFAULT 0,
  ack_requests   bigint NOT NULL DEFAULT 0,
  ack_success    bigint NOT NULL DEFAULT 0,
  ack_failed     bigint NOT NULL DEFAULT 0,
  transactions   bigint NOT NULL DEFAULT 0,
  lag_sum_ms     bigint NOT NULL DEFAULT 0,
  lag_count      bigint NOT NULL DEFAULT 0,
  lag_max_ms     bigint NOT NULL DEFAULT 0,
  parked_max     integer NOT NULL DEFAULT 0,
  PRIMARY KEY (bucket, instance_id, queue_name)
);
CREATE INDEX queue_metrics_queue_idx ON {{schema}}.queue_metrics (queue_name, bucket);
