-- Queen core tables. {{schema}} is replaced by the configured schema name.
-- Table names and the meaning of the original's columns are kept, so SQL written for Queen works.

CREATE TABLE {{schema}}.queues (
  id                          uuid PRIMARY KEY,
  name                        text NOT NULL UNIQUE,
  namespace                   text NOT NULL DEFAULT '',
  task                        text NOT NULL DEFAULT '',
  priority                    integer NOT NULL DEFAULT 0,
  lease_time                  integer NOT NULL DEFAULT 300,
  retry_limit                 integer NOT NULL DEFAULT 3,
  retry_delay                 integer NOT NULL DEFAULT 1000,
  ttl                         integer NOT NULL DEFAULT 3600,
  dead_letter_queue           boolean NOT NULL DEFAULT false,
  dlq_after_max_retries       boolean NOT NULL DEFAULT false,
  delayed_processing          integer NOT NULL DEFAULT 0,
  window_buffer               integer NOT NULL DEFAULT 0,
  retention_seconds           integer NOT NULL DEFAULT 0,
  completed_retention_seconds integer NOT NULL DEFAULT 0,
  retention_enabled           boolean NOT NULL DEFAULT false,
  encryption_enabled          boolean NOT NULL DEFAULT false,
  max_wait_time_seconds       integer NOT NULL DEFAULT 0,
  max_queue_size              integer NOT NULL DEFAULT 0,
  created_at                  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX queues_namespace_task_idx ON {{schema}}.queues (namespace, task);

-- last_seq is the partition's commit-ordered sequence: a push takes the partition row's lock,
-- numbers its messages last_seq+1.., and holds the lock until commit, so sequence order is commit
-- order and a cursor on seq can never pass a message that commits later.
CREATE TABLE {{schema}}.partitions (
  id              uuid PRIMARY KEY,
  queue_id        uuid NOT NULL REFERENCES {{schema}}.queues (id) ON DELETE CASCADE,
  name            text NOT NULL DEFAULT 'Default',
  created_at      timestamptz NOT NULL DEFAULT now(),
  last_activity   timestamptz NOT NULL DEFAULT now(),
  last_seq        bigint NOT NULL DEFAULT 0,
  last_message_at timestamptz,
  UNIQUE (queue_id, name)
) WITH (fillfactor = 70);

CREATE TABLE {{schema}}.messages (
  id             uuid PRIMARY KEY,
  transaction_id text NOT NULL,
  trace_id       uuid,
  partition_id   uuid NOT NULL REFERENCES {{schema}}.partitions (id) ON DELETE CASCADE,
  seq            bigint NOT NULL,
  payload        jsonb NOT NULL,
  created_at     timestamptz NOT NULL,
  is_encrypted   boolean NOT NULL DEFAULT false,
  producer_sub   text,
  CONSTRAINT messages_partition_transaction_key UNIQUE (partition_id, transaction_id),
  CONSTRAINT messages_partition_seq_key UNIQUE (partition_id, seq)
);

-- One row per (partition, consumer group): the cursor and at most one lease.
-- Every message with seq <= cursor_seq is settled for the group, except those with an unsettled
-- row in message_states (requeued from the dead-letter queue; has_requeued says there are some).
-- worker_id is the live lease's id (name kept from the original).
CREATE TABLE {{schema}}.partition_consumers (
  partition_id             uuid NOT NULL REFERENCES {{schema}}.partitions (id) ON DELETE CASCADE,
  consumer_group           text NOT NULL DEFAULT '__QUEUE_MODE__',
  cursor_seq               bigint NOT NULL DEFAULT 0,
  last_consumed_id         uuid,
  last_consumed_created_at timestamptz,
  worker_id                uuid,
  lease_acquired_at        timestamptz,
  lease_expires_at         timestamptz,
  lease_last_seq           bigint,
  batch_size               integer NOT NULL DEFAULT 0,
  acked_count              integer NOT NULL DEFAULT 0,
  has_requeued             boolean NOT NULL DEFAULT false,
  total_messages_consumed  bigint NOT NULL DEFAULT 0,
  total_batches_consumed   bigint NOT NULL DEFAULT 0,
  last_consumed_at         timestamptz,
  last_leased_at           timestamptz,
  created_at               timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (partition_id, consumer_group)
) WITH (fillfactor = 50);
CREATE INDEX partition_consumers_worker_idx ON {{schema}}.partition_consumers (worker_id)
  WHERE worker_id IS NOT NULL;
CREATE INDEX partition_consumers_lease_expiry_idx ON {{schema}}.partition_consumers (lease_expires_at)
  WHERE worker_id IS NOT NULL;

-- Per-group state of single messages that the cursor alone cannot express: failures counted so
-- far, settlement beyond the cursor (acked out of order), requeue below the cursor.
-- acked_lease: the lease under which the message was last acked (an ack counts once per lease);
-- delivered_lease: for requeued messages, the lease they were last delivered under.
CREATE TABLE {{schema}}.message_states (
  partition_id    uuid NOT NULL,
  consumer_group  text NOT NULL,
  seq             bigint NOT NULL,
  settled         boolean NOT NULL DEFAULT false,
  failure_count   integer NOT NULL DEFAULT 0,
  acked_lease     uuid,
  delivered_lease uuid,
  last_error      text,
  PRIMARY KEY (partition_id, consumer_group, seq),
  FOREIGN KEY (partition_id, consumer_group)
    REFERENCES {{schema}}.partition_consumers (partition_id, consumer_group) ON DELETE CASCADE
);

-- Where a named group starts on a queue; written the first time the group pops from the queue.
-- subscription_timestamp NULL means from the beginning.
CREATE TABLE {{schema}}.consumer_groups_metadata (
  consumer_group         text NOT NULL,
  queue_name             text NOT NULL,
  subscription_mode      text NOT NULL,
  subscription_timestamp timestamptz,
  created_at             timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer_group, queue_name)
);

CREATE TABLE {{schema}}.dead_letter_queue (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  message_id          uuid NOT NULL REFERENCES {{schema}}.messages (id) ON DELETE CASCADE,
  partition_id        uuid NOT NULL,
  consumer_group      text NOT NULL,
  error_message       text,
  retry_count         integer NOT NULL DEFAULT 0,
  original_created_at timestamptz,
  failed_at           timestamptz NOT NULL DEFAULT now(),
  UNIQUE (message_id, consumer_group)
);
CREATE INDEX dead_letter_queue_partition_idx ON {{schema}}.dead_letter_queue (partition_id);
CREATE INDEX dead_letter_queue_failed_at_idx ON {{schema}}.dead_letter_queue (failed_at);

CREATE TABLE {{schema}}.message_traces (
  id             uuid PRIMARY KEY,
  message_id     uuid REFERENCES {{schema}}.messages (id) ON DELETE CASCADE,
  partition_id   uuid NOT NULL,
  transaction_id text NOT NULL,
  consumer_group text,
  event_type     text NOT NULL DEFAULT 'info',
  data           jsonb NOT NULL,
  worker_id      text,
  created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX message_traces_message_idx ON {{schema}}.message_traces (partition_id, transaction_id);
CREATE INDEX message_traces_message_id_idx ON {{schema}}.message_traces (message_id);

CREATE TABLE {{schema}}.message_trace_names (
  trace_id   uuid NOT NULL REFERENCES {{schema}}.message_traces (id) ON DELETE CASCADE,
  trace_name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (trace_id, trace_name)
);
CREATE INDEX message_trace_names_name_idx ON {{schema}}.message_trace_names (trace_name);

CREATE TABLE {{schema}}.system_state (
  key        text PRIMARY KEY,
  value      jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TYPE {{schema}}.push_row AS (
  i int, q text, p text, mid uuid, tx text, tr uuid, pl jsonb, ps text,
  qid uuid, pid uuid, st text, err text
);

CREATE TYPE {{schema}}.delivery AS (
  seq bigint, id uuid, transaction_id text, trace_id uuid, payload text, producer_sub text,
  created_at timestamptz, retry_count int, requeued boolean
);
