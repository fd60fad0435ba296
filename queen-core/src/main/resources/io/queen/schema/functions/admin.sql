-- The operations API's writes: consumer-group deletion, subscription changes and seeks, and the
-- operator's deletions of messages. Each call is one transaction. They lock cursor rows in the
-- usual order (partition_id, consumer_group), so they wait for a pop or ack in progress on the
-- same rows and never deadlock with one.

-- Puts a group's cursor on one partition at p_seq, as if every message up to it was settled and
-- none after it was ever delivered: the lease is released (acks under it are refused from now on),
-- per-message state and back-off are dropped. Caller holds the cursor row.
CREATE OR REPLACE FUNCTION {{schema}}._move_cursor(p_pid uuid, p_group text, p_seq bigint)
RETURNS void
LANGUAGE sql AS $fn$
  DELETE FROM {{schema}}.message_states s
   WHERE s.partition_id = p_pid AND s.consumer_group = p_group;
  UPDATE {{schema}}.partition_consumers pc
     SET cursor_seq = p_seq, worker_id = NULL, lease_acquired_at = NULL, lease_expires_at = NULL,
         lease_last_seq = NULL, batch_size = 0, acked_count = 0, has_requeued = false,
         retry_not_before = NULL,
         last_consumed_id = lm.id, last_consumed_created_at = lm.created_at
    FROM (SELECT NULL::int AS unused) one
    LEFT JOIN LATERAL (SELECT m.id, m.created_at FROM {{schema}}.messages m
                        WHERE m.partition_id = p_pid AND m.seq <= p_seq
                        ORDER BY m.seq DESC LIMIT 1) lm ON true
   WHERE pc.partition_id = p_pid AND pc.consumer_group = p_group;
$fn$;

-- Deletes a group's cursors (and with them its per-message state) on one queue or, with p_queue
-- NULL, on every queue; with p_delete_metadata also its subscription records, so that the group's
-- next pop starts it over by the mode that pop asks for. Without them it starts over from its
-- recorded subscription. Returns (cursors deleted, subscription records deleted).
CREATE OR REPLACE FUNCTION {{schema}}.delete_consumer_group_v1(
    p_group text, p_queue text, p_delete_metadata boolean)
RETURNS TABLE(deleted_partitions int, metadata_deleted int)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_cursors int;
  v_meta    int := 0;
BEGIN
  WITH victims AS (
         SELECT pc.partition_id FROM {{schema}}.partition_consumers pc
           JOIN {{schema}}.partitions pa ON pa.id = pc.partition_id
           JOIN {{schema}}.queues qu ON qu.id = pa.queue_id
          WHERE pc.consumer_group = p_group AND (p_queue IS NULL OR qu.name = p_queue)
          ORDER BY pc.partition_id
            FOR UPDATE OF pc),
       d AS (DELETE FROM {{schema}}.partition_consumers pc
              USING victims v
              WHERE pc.partition_id = v.partition_id AND pc.consumer_group = p_group
             RETURNING 1)
  SELECT count(*)::int INTO v_cursors FROM d;
  IF p_delete_metadata THEN
    WITH d AS (DELETE FROM {{schema}}.consumer_groups_metadata g
                WHERE g.consumer_group = p_group AND (p_queue IS NULL OR g.queue_name = p_queue)
               RETURNING 1)
    SELECT count(*)::int INTO v_meta FROM d;
  END IF;
  RETURN QUERY SELECT v_cursors, v_meta;
END
$fn$;

-- Moves a group's cursors on a queue: to the newest message (p_to_end), or to the last message
-- created at or before p_timestamp (before every message: nothing consumed). Only partitions the
-- group has a cursor on move: the others still start at the group's subscription, which
-- update_subscription_v1 changes. Returns one row per partition moved.
CREATE OR REPLACE FUNCTION {{schema}}.seek_queue_v1(
    p_group text, p_queue text, p_to_end boolean, p_timestamp timestamptz)
RETURNS TABLE(partition_name text, cursor_seq bigint)
LANGUAGE plpgsql AS $fn$
DECLARE
  p     record;
  v_seq bigint;
BEGIN
  FOR p IN
    SELECT pc.partition_id, pa.name, pa.last_seq
      FROM {{schema}}.queues qu
      JOIN {{schema}}.partitions pa ON pa.queue_id = qu.id
      JOIN {{schema}}.partition_consumers pc
        ON pc.partition_id = pa.id AND pc.consumer_group = p_group
     WHERE qu.name = p_queue
     ORDER BY pc.partition_id
       FOR UPDATE OF pc
  LOOP
    IF p_to_end THEN
      v_seq := p.last_seq;
    ELSE
      v_seq := coalesce((SELECT m.seq FROM {{schema}}.messages m
                          WHERE m.partition_id = p.partition_id AND m.created_at <= p_timestamp
                          ORDER BY m.seq DESC LIMIT 1), 0);
    END IF;
    PERFORM {{schema}}._move_cursor(p.partition_id, p_group, v_seq);
    RETURN QUERY SELECT p.name, v_seq;
  END LOOP;
END
$fn$;

-- Moves a group's cursor on one partition to its newest message, creating the cursor when the
-- group has none there yet. Returns the push time of that message (NULL when the partition holds
-- none). The caller has checked that the partition exists.
CREATE OR REPLACE FUNCTION {{schema}}.seek_partition_v1(
    p_group text, p_queue text, p_partition text, p_now timestamptz)
RETURNS timestamptz
LANGUAGE plpgsql AS $fn$
DECLARE
  v_pid  uuid;
  v_last bigint;
BEGIN
  SELECT pa.id INTO v_pid
    FROM {{schema}}.queues qu JOIN {{schema}}.partitions pa ON pa.queue_id = qu.id
   WHERE qu.name = p_queue AND pa.name = p_partition;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  INSERT INTO {{schema}}.partition_consumers AS pc (partition_id, consumer_group, cursor_seq, created_at)
  VALUES (v_pid, p_group, 0, p_now)
  ON CONFLICT (partition_id, consumer_group) DO NOTHING;
  PERFORM 1 FROM {{schema}}.partition_consumers pc
   WHERE pc.partition_id = v_pid AND pc.consumer_group = p_group FOR UPDATE;
  -- read under the cursor lock: a push that committed while we waited counts as old
  SELECT pa.last_seq INTO v_last FROM {{schema}}.partitions pa WHERE pa.id = v_pid;
  PERFORM {{schema}}._move_cursor(v_pid, p_group, v_last);
  RETURN (SELECT m.created_at FROM {{schema}}.messages m
           WHERE m.partition_id = v_pid AND m.seq <= v_last ORDER BY m.seq DESC LIMIT 1);
END
$fn$;

-- Deletes one message (with its DLQ entries, traces and state); every group's cursor stays
-- where it is. Returns whether it existed.
CREATE OR REPLACE FUNCTION {{schema}}.delete_message_v1(p_pid uuid, p_transaction text)
RETURNS boolean
LANGUAGE plpgsql AS $fn$
DECLARE
  v_seq bigint;
BEGIN
  SELECT m.seq INTO v_seq FROM {{schema}}.messages m
   WHERE m.partition_id = p_pid AND m.transaction_id = p_transaction;
  IF NOT FOUND THEN
    RETURN false;
  END IF;
  RETURN {{schema}}._delete_messages(p_pid, ARRAY[v_seq]) > 0;
END
$fn$;

-- One batch of a queue purge: deletes up to p_limit of the oldest messages of the queue (or of
-- one of its partitions), keeping its configuration, partitions and cursors, and counts them as
-- 'purge' in retention_history. The caller repeats until it returns 0.
CREATE OR REPLACE FUNCTION {{schema}}.purge_v1(
    p_queue text, p_partition text, p_limit int, p_now timestamptz)
RETURNS int
LANGUAGE plpgsql AS $fn$
DECLARE
  p      record;
  v_left int := p_limit;
  v_n    int;
  v_all  int := 0;
BEGIN
  FOR p IN
    SELECT pa.id FROM {{schema}}.queues qu JOIN {{schema}}.partitions pa ON pa.queue_id = qu.id
     WHERE qu.name = p_queue AND (p_partition IS NULL OR pa.name = p_partition)
       AND EXISTS (SELECT 1 FROM {{schema}}.messages m WHERE m.partition_id = pa.id)
     ORDER BY pa.id
  LOOP
    EXIT WHEN v_left <= 0;
    v_n := {{schema}}._delete_messages(p.id, ARRAY(
      SELECT m.seq FROM {{schema}}.messages m WHERE m.partition_id = p.id
       ORDER BY m.seq LIMIT v_left));
    v_left := v_left - v_n;
    v_all := v_all + v_n;
  END LOOP;
  PERFORM {{schema}}._record_removals('purge', ARRAY[p_queue], ARRAY[v_all], p_now);
  RETURN v_all;
END
$fn$;
