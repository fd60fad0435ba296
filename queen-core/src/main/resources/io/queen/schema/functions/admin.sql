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

-- A stored message's status as the browser shows it, from its partition's cursors (and the
-- per-message state and dead-letter entries of its groups): dead_letter, then queue mode's view
-- when queue mode reads the partition, else the named groups' (completed when every group has it).
-- A plain SQL function so that the planner inlines it into the query that calls it.
CREATE OR REPLACE FUNCTION {{schema}}.message_status_v1(p_pid uuid, p_seq bigint, p_id uuid,
                                                        p_now timestamptz)
RETURNS TABLE (status text, consumed_by integer, total_groups integer,
               lease_expires_at timestamptz)
LANGUAGE sql STABLE AS $fn$
  SELECT CASE
           WHEN EXISTS (SELECT 1 FROM {{schema}}.dead_letter_queue d WHERE d.message_id = p_id)
             THEN 'dead_letter'
           WHEN g.has_queue_mode THEN
             CASE WHEN g.qm_consumed THEN 'completed'
                  WHEN g.qm_leased THEN 'processing' ELSE 'pending' END
           WHEN g.total_groups > 0 AND g.consumed_by = g.total_groups THEN 'completed'
           WHEN g.any_leased THEN 'processing'
           ELSE 'pending'
         END,
         g.consumed_by, g.total_groups, g.qm_lease_expires_at
    FROM (SELECT bool_or(v.grp = '__QUEUE_MODE__') AS has_queue_mode,
                 coalesce(bool_or(v.grp = '__QUEUE_MODE__' AND v.consumed), false) AS qm_consumed,
                 coalesce(bool_or(v.grp = '__QUEUE_MODE__' AND v.leased), false) AS qm_leased,
                 max(v.lease_expires_at) FILTER (WHERE v.grp = '__QUEUE_MODE__' AND v.leased)
                   AS qm_lease_expires_at,
                 (count(*) FILTER (WHERE v.grp <> '__QUEUE_MODE__' AND v.consumed))::int
                   AS consumed_by,
                 (count(*) FILTER (WHERE v.grp <> '__QUEUE_MODE__'))::int AS total_groups,
                 coalesce(bool_or(v.leased), false) AS any_leased
            FROM (SELECT pc.consumer_group AS grp, pc.lease_expires_at,
                         coalesce(s.settled, p_seq <= pc.cursor_seq) AS consumed,
                         pc.lease_expires_at > p_now AND p_seq > pc.cursor_seq
                           AND p_seq <= pc.lease_last_seq AS leased
                    FROM {{schema}}.partition_consumers pc
                    LEFT JOIN {{schema}}.message_states s
                      ON s.partition_id = pc.partition_id AND s.consumer_group = pc.consumer_group
                     AND s.seq = p_seq
                   WHERE pc.partition_id = p_pid) v) g
$fn$;

-- The ids of the newest p_want messages (by id, newest first) of the partitions matching the
-- filters (null: any), between the id bounds p_low..p_high (UUIDv7, so time-ordered) and pushed
-- in [p_from, p_to), of status p_status (null: any). Walks the partitions from the most recently
-- pushed to, each from its newest message back, and stops at the first partition whose newest
-- push is older than the p_want-th message found so far: the top p_want come from at most p_want
-- partitions, each among the p_want most recently pushed to. So a filtered page costs about what
-- it shows, not a walk past every newer message of other queues (docs/benchmarks.md).
-- A partition's ids are made before its newest push's time, so the partition stop is exact; within
-- a partition ids follow seq only to within the commit order of concurrent pushes, so a walk goes
-- on a second past the p_want-th. Without a status filter, of a partition wholly before p_to, the
-- candidates are its newest p_want messages (a range of its (partition_id, seq) index); else the
-- walk reads back from its newest until it has p_want or passes the window.
DROP FUNCTION IF EXISTS {{schema}}.browse_newest_v1(text, text, text, text, uuid, uuid,
  timestamptz, timestamptz, text, timestamptz, integer);
-- p_candidates (null: none): the queue's partitions pushed to last, newest first, as the caller
-- remembers them from before any push since; every other partition's newest push is at most
-- p_cutoff (null: there is no other). They are walked first, in that order, one look-up each, and
-- when they settle the page no other partition is read. This is how a browser that remembers a
-- quiet queue's order avoids the pass over all its partitions.
CREATE OR REPLACE FUNCTION {{schema}}.browse_newest_v2(
    p_queue text, p_partition text, p_namespace text, p_task text, p_low uuid, p_high uuid,
    p_from timestamptz, p_to timestamptz, p_status text, p_now timestamptz, p_want integer,
    p_candidates uuid[], p_cutoff timestamptz)
RETURNS SETOF uuid
LANGUAGE plpgsql STABLE AS $fn$
DECLARE
  c_slack_ms constant bigint := 1000;
  v_parts refcursor;
  v_part record;
  v_msg record;
  v_best uuid[] := '{}';
  v_found uuid[];
  v_floor uuid;          -- the p_want-th best so far, once there are p_want
  v_floor_ms bigint;     -- its time
  v_stop uuid := p_low;  -- a partition's walk ends below this id
  v_taken integer;
  v_hex text;
  v_phase integer;
  v_seen integer := 0;
  v_done boolean := false;
  v_qid uuid;
  v_i integer := 0;
BEGIN
  IF p_want <= 0 THEN
    RETURN;
  END IF;
  IF p_queue IS NOT NULL THEN
    SELECT qu.id INTO v_qid FROM {{schema}}.queues qu WHERE qu.name = p_queue;
    IF v_qid IS NULL THEN
      RETURN;
    END IF;
  END IF;
  -- phase 0, with candidates: those, in their order. Phase 1: the p_want partitions pushed to
  -- last (a top-N, cheaper than sorting them all), which usually settle the page; phase 2, only
  -- when they do not: the rest, in the same order. Phases 1 and 2 leave out the candidates.
  FOR v_phase IN CASE WHEN p_candidates IS NULL THEN 1 ELSE 0 END..2 LOOP
  v_seen := 0;
  IF v_phase > 0 THEN
    OPEN v_parts FOR
      -- by queue id, not a join: the join hashed every partition of every queue (12-15 ms for
      -- 30,000 partitions idle, against 7-9 ms for the filter; docs/benchmarks.md)
      SELECT pa.id, pa.last_seq, pa.last_message_at
        FROM {{schema}}.partitions pa
       WHERE (v_qid IS NULL OR pa.queue_id = v_qid) AND (p_partition IS NULL OR pa.name = p_partition)
         AND ((p_namespace IS NULL AND p_task IS NULL) OR pa.queue_id IN (
               SELECT qu.id FROM {{schema}}.queues qu
                WHERE (p_namespace IS NULL OR qu.namespace = p_namespace)
                  AND (p_task IS NULL OR qu.task = p_task)))
         AND pa.last_message_at >= p_from
         AND (p_candidates IS NULL OR pa.id <> ALL (p_candidates))
       ORDER BY pa.last_message_at DESC, pa.id
       LIMIT CASE WHEN v_phase = 1 THEN p_want END OFFSET CASE WHEN v_phase = 1 THEN 0 ELSE p_want END;
  END IF;
  LOOP
    IF v_phase = 0 THEN
      v_i := v_i + 1;
      EXIT WHEN v_i > cardinality(p_candidates);
      SELECT pa.id, pa.last_seq, pa.last_message_at INTO v_part
        FROM {{schema}}.partitions pa
       WHERE pa.id = p_candidates[v_i] AND pa.queue_id = v_qid AND pa.last_message_at >= p_from;
      CONTINUE WHEN NOT FOUND;
    ELSE
      FETCH v_parts INTO v_part;
      EXIT WHEN NOT FOUND;
    END IF;
    v_seen := v_seen + 1;
    IF v_floor IS NOT NULL
       AND floor(extract(epoch FROM v_part.last_message_at) * 1000)::bigint < v_floor_ms THEN
      v_done := true;
      EXIT;
    END IF;
    IF p_status IS NULL AND v_part.last_message_at < p_to THEN
      -- every message of the partition is before p_to: its newest p_want are the candidates
      v_found := ARRAY(
        SELECT c.id FROM (SELECT m.id, m.created_at FROM {{schema}}.messages m
                           WHERE m.partition_id = v_part.id AND m.seq > v_part.last_seq - p_want
                           ORDER BY m.seq DESC LIMIT p_want) c
         WHERE c.id >= v_stop AND c.id <= p_high AND (v_floor IS NULL OR c.id > v_floor)
           AND c.created_at >= p_from AND c.created_at < p_to);
      v_taken := cardinality(v_found);
      v_best := v_best || v_found;
    ELSE
      v_taken := 0;
      FOR v_msg IN
        SELECT m.id, m.seq, m.created_at FROM {{schema}}.messages m
         WHERE m.partition_id = v_part.id ORDER BY m.seq DESC
      LOOP
        EXIT WHEN v_msg.id < v_stop;
        CONTINUE WHEN v_msg.id > p_high OR v_msg.created_at < p_from OR v_msg.created_at >= p_to
                   OR (v_floor IS NOT NULL AND v_msg.id <= v_floor);
        CONTINUE WHEN p_status IS NOT NULL AND p_status IS DISTINCT FROM (SELECT st.status
          FROM {{schema}}.message_status_v1(v_part.id, v_msg.seq, v_msg.id, p_now) st);
        v_best := v_best || v_msg.id;
        v_taken := v_taken + 1;
        EXIT WHEN v_taken >= p_want;
      END LOOP;
    END IF;
    IF v_taken > 0 AND (cardinality(v_best) >= 2 * p_want
                        OR (v_floor IS NULL AND cardinality(v_best) >= p_want)) THEN
      v_best := ARRAY(SELECT b FROM unnest(v_best) b ORDER BY b DESC LIMIT p_want);
      v_floor := v_best[p_want];
      v_floor_ms := ('x' || substr(replace(v_floor::text, '-', ''), 1, 12))::bit(48)::bigint;
      v_hex := lpad(to_hex(greatest(v_floor_ms - c_slack_ms, 0)), 12, '0');
      v_stop := greatest(p_low, (substr(v_hex, 1, 8) || '-' || substr(v_hex, 9, 4)
                                  || '-0000-0000-000000000000')::uuid);
    END IF;
  END LOOP;
  IF v_phase > 0 THEN
    CLOSE v_parts;
  END IF;
  IF v_phase = 0 THEN
    -- the candidates are all there is, or no other partition can hold a newer message
    v_done := v_done OR p_cutoff IS NULL OR (v_floor IS NOT NULL
      AND floor(extract(epoch FROM p_cutoff) * 1000)::bigint < v_floor_ms);
  END IF;
  EXIT WHEN v_done OR (v_phase = 1 AND v_seen < p_want);
  END LOOP;
  RETURN QUERY SELECT b FROM unnest(v_best) b ORDER BY b DESC LIMIT p_want;
END;
$fn$;

-- Deletes a queue and everything under it; true when it existed. The queue row first (a push that
-- would create a partition in it waits, then finds it gone), then its partitions (pushes in flight
-- commit first), then their messages (this statement sees those pushes), then the queue, which
-- cascades to the partitions and what references them. Messages have no key to partitions
-- (V006): this is what deletes them.
CREATE OR REPLACE FUNCTION {{schema}}.delete_queue_v1(p_name text)
RETURNS boolean
LANGUAGE plpgsql AS $fn$
DECLARE
  v_qid uuid;
BEGIN
  SELECT qu.id INTO v_qid FROM {{schema}}.queues qu WHERE qu.name = p_name FOR UPDATE;
  IF v_qid IS NULL THEN
    RETURN false;
  END IF;
  PERFORM 1 FROM {{schema}}.partitions pa WHERE pa.queue_id = v_qid ORDER BY pa.id FOR UPDATE;
  DELETE FROM {{schema}}.messages m
   WHERE m.partition_id IN (SELECT pa.id FROM {{schema}}.partitions pa WHERE pa.queue_id = v_qid);
  DELETE FROM {{schema}}.queues qu WHERE qu.id = v_qid;
  RETURN true;
END
$fn$;
