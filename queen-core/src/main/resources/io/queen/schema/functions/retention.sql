-- The message lifecycle: retention and eviction delete in bounded batches, one call per batch
-- (one short transaction), and record what they removed in retention_history. The jobs that call
-- them run on one instance of a cluster at a time. They delete from the head of a partition (the
-- lowest seq first), so the messages that remain keep their order, and they never move a cursor.

-- Deletes messages of one partition with everything that hangs on them: DLQ entries and traces go
-- by ON DELETE CASCADE, per-message state here, and partition_removals counts them. Every deletion
-- of messages goes through here. Returns how many went.
CREATE OR REPLACE FUNCTION {{schema}}._delete_messages(p_pid uuid, p_seqs bigint[])
RETURNS int
LANGUAGE sql AS $fn$
  WITH d AS (DELETE FROM {{schema}}.messages m
              WHERE m.partition_id = p_pid AND m.seq = ANY (p_seqs)
             RETURNING m.seq),
       s AS (DELETE FROM {{schema}}.message_states s
              WHERE s.partition_id = p_pid AND s.seq IN (SELECT d.seq FROM d)),
       c AS (INSERT INTO {{schema}}.partition_removals AS r (partition_id, removed)
             SELECT p_pid, count(*) FROM d HAVING count(*) > 0
             ON CONFLICT (partition_id) DO UPDATE SET removed = r.removed + EXCLUDED.removed)
  SELECT count(*)::int FROM d;
$fn$;

-- Adds one history row per queue that lost something in this batch.
CREATE OR REPLACE FUNCTION {{schema}}._record_removals(
    p_kind text, p_queues text[], p_counts int[], p_now timestamptz)
RETURNS TABLE(queue_name text, kind text, removed int)
LANGUAGE sql AS $fn$
  WITH t AS (SELECT q, sum(n)::int AS n FROM unnest(p_queues, p_counts) AS u(q, n)
              GROUP BY q HAVING sum(n) > 0),
       h AS (INSERT INTO {{schema}}.retention_history (queue_name, kind, count, created_at)
             SELECT t.q, p_kind, t.n, p_now FROM t ORDER BY t.q)
  SELECT t.q, p_kind, t.n FROM t ORDER BY t.q;
$fn$;

-- retention_v1: one batch of the retention job. Each rule removes at most p_limit messages (or
-- partitions, or history rows):
--   retention: queues with retentionEnabled and retentionSeconds: messages older than that,
--     consumed or not, leased or not;
--   completed_retention: queues with completedRetentionSeconds: messages older than that which
--     every consumer group reading the queue has settled (a group that never claimed the
--     partition has settled nothing of it), except dead-lettered ones, which stay for inspection
--     until retentionSeconds or the queue's deletion;
--   partition_cleanup: partitions without messages, leases or activity since p_idle_since;
--   history rows older than p_history_before.
-- Returns what it removed, per queue and kind ('history' counted under queue '').
CREATE OR REPLACE FUNCTION {{schema}}.retention_v1(
    p_now timestamptz, p_limit int, p_idle_since timestamptz, p_history_before timestamptz)
RETURNS TABLE(queue_name text, kind text, removed int)
LANGUAGE plpgsql AS $fn$
DECLARE
  p        record;
  q        record;
  v_left   int;
  v_n      int;
  v_groups text[];
  v_queues text[];
  v_counts int[];
  v_pids   uuid[];
BEGIN
  -- retentionSeconds: the expired head of each partition whose oldest message expired
  v_left := p_limit;
  v_queues := '{}';
  v_counts := '{}';
  FOR p IN
    SELECT pa.id, qu.name, p_now - make_interval(secs => qu.retention_seconds) AS cutoff
      FROM {{schema}}.queues qu
      JOIN {{schema}}.partitions pa ON pa.queue_id = qu.id
      CROSS JOIN LATERAL (SELECT m.created_at FROM {{schema}}.messages m
                           WHERE m.partition_id = pa.id ORDER BY m.seq LIMIT 1) h
     WHERE qu.retention_enabled AND qu.retention_seconds > 0
       AND h.created_at < p_now - make_interval(secs => qu.retention_seconds)
     ORDER BY h.created_at
  LOOP
    EXIT WHEN v_left <= 0;
    v_n := {{schema}}._delete_messages(p.id, ARRAY(
      WITH head AS (SELECT m.seq, m.created_at FROM {{schema}}.messages m
                     WHERE m.partition_id = p.id ORDER BY m.seq LIMIT v_left)
      SELECT h.seq FROM head h
       WHERE h.seq < coalesce((SELECT min(h2.seq) FROM head h2 WHERE h2.created_at >= p.cutoff),
                              9223372036854775807)));
    v_left := v_left - v_n;
    v_queues := v_queues || p.name;
    v_counts := v_counts || v_n;
  END LOOP;
  RETURN QUERY SELECT * FROM {{schema}}._record_removals('retention', v_queues, v_counts, p_now);

  -- completedRetentionSeconds: the settled, old head of each partition, below every group's cursor
  v_left := p_limit;
  v_queues := '{}';
  v_counts := '{}';
  <<queues>>
  FOR q IN
    SELECT qu.id, qu.name, p_now - make_interval(secs => qu.completed_retention_seconds) AS cutoff
      FROM {{schema}}.queues qu
     WHERE qu.completed_retention_seconds > 0
     ORDER BY qu.name
  LOOP
    v_groups := ARRAY(
      SELECT DISTINCT pc.consumer_group FROM {{schema}}.partitions p2
        JOIN {{schema}}.partition_consumers pc ON pc.partition_id = p2.id
       WHERE p2.queue_id = q.id
      UNION
      SELECT g.consumer_group FROM {{schema}}.consumer_groups_metadata g WHERE g.queue_name = q.name);
    CONTINUE WHEN cardinality(v_groups) = 0;
    FOR p IN
      SELECT c.pid, c.safe
        FROM (SELECT pc.partition_id AS pid, min(pc.cursor_seq) AS safe, count(*) AS n
                FROM {{schema}}.partitions pa
                JOIN {{schema}}.partition_consumers pc
                  ON pc.partition_id = pa.id AND pc.consumer_group = ANY (v_groups)
               WHERE pa.queue_id = q.id
               GROUP BY pc.partition_id) c
        CROSS JOIN LATERAL (SELECT m.seq, m.created_at FROM {{schema}}.messages m
                             WHERE m.partition_id = c.pid ORDER BY m.seq LIMIT 1) h
       WHERE c.n = cardinality(v_groups) AND h.seq <= c.safe AND h.created_at < q.cutoff
       ORDER BY h.created_at
    LOOP
      EXIT queues WHEN v_left <= 0;
      v_n := {{schema}}._delete_messages(p.pid, ARRAY(
        WITH head AS (SELECT m.id, m.seq, m.created_at FROM {{schema}}.messages m
                       WHERE m.partition_id = p.pid AND m.seq <= p.safe
                       ORDER BY m.seq LIMIT v_left)
        SELECT h.seq FROM head h
         WHERE h.seq < coalesce((SELECT min(h2.seq) FROM head h2 WHERE h2.created_at >= q.cutoff),
                                9223372036854775807)
           -- requeued from the DLQ and not settled again, by any group
           AND NOT EXISTS (SELECT 1 FROM {{schema}}.message_states s
                            WHERE s.partition_id = p.pid AND s.seq = h.seq AND NOT s.settled)
           AND NOT EXISTS (SELECT 1 FROM {{schema}}.dead_letter_queue dl WHERE dl.message_id = h.id)));
      v_left := v_left - v_n;
      v_queues := v_queues || q.name;
      v_counts := v_counts || v_n;
    END LOOP;
  END LOOP;
  RETURN QUERY SELECT * FROM {{schema}}._record_removals('completed_retention', v_queues, v_counts, p_now);

  -- inactive partitions: locked first, skipping those a push or pop holds; checked again after the
  -- lock (a new statement, so it sees what committed before the lock was granted)
  v_pids := ARRAY(
    SELECT pa.id FROM {{schema}}.partitions pa
     WHERE pa.last_activity < p_idle_since
       AND NOT EXISTS (SELECT 1 FROM {{schema}}.messages m WHERE m.partition_id = pa.id)
       AND NOT EXISTS (SELECT 1 FROM {{schema}}.partition_consumers pc
                        WHERE pc.partition_id = pa.id
                          AND (pc.lease_expires_at > p_now
                               OR greatest(pc.created_at, pc.last_consumed_at, pc.last_leased_at) >= p_idle_since))
     ORDER BY pa.last_activity, pa.id
     LIMIT p_limit
       FOR UPDATE SKIP LOCKED);
  WITH d AS (
    DELETE FROM {{schema}}.partitions pa
     WHERE pa.id = ANY (v_pids) AND pa.last_activity < p_idle_since
       AND NOT EXISTS (SELECT 1 FROM {{schema}}.messages m WHERE m.partition_id = pa.id)
    RETURNING pa.queue_id)
  SELECT coalesce(array_agg(qu.name), '{}'), coalesce(array_agg(1), '{}') INTO v_queues, v_counts
    FROM d JOIN {{schema}}.queues qu ON qu.id = d.queue_id;
  RETURN QUERY SELECT * FROM {{schema}}._record_removals('partition_cleanup', v_queues, v_counts, p_now);

  -- the history itself
  WITH d AS (DELETE FROM {{schema}}.retention_history h
              WHERE h.id IN (SELECT h2.id FROM {{schema}}.retention_history h2
                              WHERE h2.created_at < p_history_before ORDER BY h2.created_at
                              LIMIT p_limit)
             RETURNING 1)
  SELECT count(*)::int INTO v_n FROM d;
  IF v_n > 0 THEN
    RETURN QUERY SELECT ''::text, 'history'::text, v_n;
  END IF;
END
$fn$;

-- evict_v1: one batch of the eviction job: in queues with maxWaitTimeSeconds, messages older than
-- that which no consumer group has consumed (beyond every group's cursor, settled by none) are
-- deleted, at most p_limit; partitions with a live lease are left for a later batch. Counted as
-- 'max_wait_time_eviction'.
CREATE OR REPLACE FUNCTION {{schema}}.evict_v1(p_now timestamptz, p_limit int)
RETURNS TABLE(queue_name text, kind text, removed int)
LANGUAGE plpgsql AS $fn$
DECLARE
  p        record;
  v_left   int := p_limit;
  v_n      int;
  v_queues text[] := '{}';
  v_counts int[] := '{}';
BEGIN
  FOR p IN
    SELECT pa.id, qu.name, c.consumed,
           p_now - make_interval(secs => qu.max_wait_time_seconds) AS cutoff
      FROM {{schema}}.queues qu
      JOIN {{schema}}.partitions pa ON pa.queue_id = qu.id
      CROSS JOIN LATERAL (SELECT coalesce(max(pc.cursor_seq), 0) AS consumed,
                                 coalesce(bool_or(pc.lease_expires_at > p_now), false) AS leased
                            FROM {{schema}}.partition_consumers pc
                           WHERE pc.partition_id = pa.id) c
      CROSS JOIN LATERAL (SELECT m.created_at FROM {{schema}}.messages m
                           WHERE m.partition_id = pa.id AND m.seq > c.consumed
                           ORDER BY m.seq LIMIT 1) h
     WHERE qu.max_wait_time_seconds > 0 AND NOT c.leased
       AND h.created_at < p_now - make_interval(secs => qu.max_wait_time_seconds)
     ORDER BY h.created_at
  LOOP
    EXIT WHEN v_left <= 0;
    v_n := {{schema}}._delete_messages(p.id, ARRAY(
      WITH head AS (SELECT m.seq, m.created_at FROM {{schema}}.messages m
                     WHERE m.partition_id = p.id AND m.seq > p.consumed
                     ORDER BY m.seq LIMIT v_left)
      SELECT h.seq FROM head h
       WHERE h.seq < coalesce((SELECT min(h2.seq) FROM head h2 WHERE h2.created_at >= p.cutoff),
                              9223372036854775807)
         AND NOT EXISTS (SELECT 1 FROM {{schema}}.message_states s
                          WHERE s.partition_id = p.id AND s.seq = h.seq AND s.settled)));
    v_left := v_left - v_n;
    v_queues := v_queues || p.name;
    v_counts := v_counts || v_n;
  END LOOP;
  RETURN QUERY SELECT * FROM {{schema}}._record_removals('max_wait_time_eviction', v_queues, v_counts, p_now);
END
$fn$;
