-- Queen's operations as set-based PL/pgSQL functions: one call carries a whole group-commit batch.
-- Locking order, everywhere: queues rows (only those with maxSize) by id, then partitions rows by
-- id (FOR NO KEY UPDATE, so foreign-key checks from other tables are not blocked), and
-- partition_consumers rows by (partition_id, consumer_group). Pushes never lock
-- partition_consumers; pops and acks never lock partitions. That fixed order is what keeps
-- concurrent batches from deadlocking; the Java side still retries a batch on 40P01 as a backstop.

-- ---------------------------------------------------------------------------------------------
-- push_v1: p_items = [{i, q, p, mid, tx, tr, pl, ps}], returns one row per item. With p_channel,
-- notifies '<p_origin>:<queue>' once per queue that received messages (delivered at commit).
CREATE OR REPLACE FUNCTION {{schema}}.push_v1(
    p_items jsonb, p_now timestamptz, p_auto_create boolean, p_channel text, p_origin text)
RETURNS TABLE(idx int, status text, message_id uuid, partition_id uuid, transaction_id text,
              error text)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_rows    {{schema}}.push_row[];
  v_pids    uuid[];
  v_missing boolean;
  v_limited boolean;
  v_limit   record;
  v_depth   bigint;
BEGIN
  -- Parse once, resolving queue and partition ids (the steady state: both exist).
  SELECT coalesce(array_agg(ROW(x.i, x.q, coalesce(x.p, 'Default'), x.mid, x.tx, x.tr,
                                coalesce(x.pl, 'null'::jsonb), x.ps, qu.id, pa.id,
                                CASE WHEN qu.id IS NULL THEN 'failed' ELSE 'queued' END,
                                CASE WHEN qu.id IS NULL
                                     THEN format('Queue ''%s'' does not exist', x.q) END)
                            ::{{schema}}.push_row ORDER BY x.i), '{}'),
         coalesce(bool_or(pa.id IS NULL), false), coalesce(bool_or(qu.max_queue_size > 0), false)
    INTO v_rows, v_missing, v_limited
    FROM jsonb_to_recordset(p_items)
         AS x(i int, q text, p text, mid uuid, tx text, tr uuid, pl jsonb, ps text)
    -- LATERAL lookups with LIMIT 1 are index probes whatever the statistics say: plain joins (and
    -- LATERAL subqueries, which the planner flattens into joins) were planned as hash joins over
    -- a sequential scan, because jsonb_to_recordset is estimated at 100 rows and the partitions
    -- table looked small or was large (stale statistics after a burst; 10,000 partitions). A
    -- LIMIT keeps the subquery a parameterised index probe per item (see docs/benchmarks.md).
    LEFT JOIN LATERAL (SELECT q1.id, q1.max_queue_size FROM {{schema}}.queues q1
                        WHERE q1.name = x.q LIMIT 1) qu ON true
    LEFT JOIN LATERAL (SELECT p1.id FROM {{schema}}.partitions p1
                        WHERE p1.queue_id = qu.id AND p1.name = coalesce(x.p, 'Default') LIMIT 1) pa ON true;

  IF v_missing THEN
    IF p_auto_create THEN
      INSERT INTO {{schema}}.queues AS qu (id, name, namespace, task, created_at)
      SELECT gen_random_uuid(), d.q, split_part(d.q, '.', 1), split_part(d.q, '.', 2), p_now
        FROM (SELECT DISTINCT r.q FROM unnest(v_rows) r WHERE r.qid IS NULL) d
       ORDER BY d.q
      ON CONFLICT (name) DO NOTHING;
    END IF;
    INSERT INTO {{schema}}.partitions AS pa (id, queue_id, name, created_at, last_activity)
    SELECT gen_random_uuid(), d.qid, d.p, p_now, p_now
      FROM (SELECT DISTINCT qu.id AS qid, r.p FROM unnest(v_rows) r
              JOIN {{schema}}.queues qu ON qu.name = r.q WHERE r.pid IS NULL) d
     ORDER BY d.qid, d.p
    ON CONFLICT (queue_id, name) DO NOTHING;
    v_rows := ARRAY(
      SELECT ROW(r.i, r.q, r.p, r.mid, r.tx, r.tr, r.pl, r.ps, qu.id, pa.id,
                 CASE WHEN qu.id IS NULL THEN 'failed' ELSE 'queued' END,
                 CASE WHEN qu.id IS NULL THEN format('Queue ''%s'' does not exist', r.q) END
                )::{{schema}}.push_row
        FROM unnest(v_rows) r
        -- index probes, as above: this runs for every batch that creates partitions, which is
        -- when the statistics of partitions are most out of date
        LEFT JOIN LATERAL (SELECT q1.id FROM {{schema}}.queues q1 WHERE q1.name = r.q LIMIT 1) qu ON true
        LEFT JOIN LATERAL (SELECT p1.id FROM {{schema}}.partitions p1
                            WHERE p1.queue_id = qu.id AND p1.name = r.p LIMIT 1) pa ON true
       ORDER BY r.i);
    SELECT coalesce(bool_or(qu.max_queue_size > 0), false) INTO v_limited
      FROM unnest(v_rows) r JOIN {{schema}}.queues qu ON qu.id = r.qid;
  END IF;

  IF v_limited THEN
    -- Queues with a maxSize are locked before any partition so that their depth check is exact.
    PERFORM 1 FROM {{schema}}.queues qu
     WHERE qu.id IN (SELECT r.qid FROM unnest(v_rows) r) AND qu.max_queue_size > 0
     ORDER BY qu.id FOR NO KEY UPDATE;
  END IF;

  -- The partition locks are held until commit: this is what makes seq order commit order, and
  -- what makes the duplicate check below race-free.
  v_pids := ARRAY(SELECT DISTINCT r.pid FROM unnest(v_rows) r WHERE r.pid IS NOT NULL);
  PERFORM 1 FROM {{schema}}.partitions pa
   WHERE pa.id = ANY (v_pids)
   ORDER BY pa.id FOR NO KEY UPDATE;

  -- Duplicates: an existing message with the transaction id, or an earlier item of this batch.
  v_rows := ARRAY(
    SELECT ROW(r.i, r.q, r.p,
               CASE WHEN r.st <> 'queued' THEN NULL
                    WHEN m.id IS NOT NULL THEN m.id
                    ELSE f.first_mid END,
               r.tx, r.tr, r.pl, r.ps, r.qid, r.pid,
               CASE WHEN r.st <> 'queued' THEN r.st
                    WHEN m.id IS NOT NULL OR f.first_i <> r.i THEN 'duplicate'
                    ELSE 'queued' END,
               r.err)::{{schema}}.push_row
      FROM unnest(v_rows) r
      LEFT JOIN LATERAL (SELECT m1.id FROM {{schema}}.messages m1
                          WHERE m1.partition_id = r.pid AND m1.transaction_id = r.tx LIMIT 1) m ON true
      LEFT JOIN (SELECT DISTINCT ON (u.pid, u.tx) u.pid, u.tx, u.i AS first_i, u.mid AS first_mid
                   FROM unnest(v_rows) u WHERE u.st = 'queued'
                  ORDER BY u.pid, u.tx, u.i) f ON f.pid = r.pid AND f.tx = r.tx
     ORDER BY r.i);

  IF v_limited THEN
    FOR v_limit IN
      SELECT qu.id, qu.name, qu.max_queue_size, count(*) AS n
        FROM unnest(v_rows) r JOIN {{schema}}.queues qu ON qu.id = r.qid
       WHERE r.st = 'queued' AND qu.max_queue_size > 0
       GROUP BY qu.id, qu.name, qu.max_queue_size
    LOOP
      -- Unconsumed in queue mode: beyond the cursor and not settled out of order, plus messages
      -- requeued from the dead-letter queue below the cursor.
      SELECT coalesce(sum(pa.last_seq - coalesce(pc.cursor_seq, 0)
               - (SELECT count(*) FROM {{schema}}.message_states s
                   WHERE s.partition_id = pa.id AND s.consumer_group = '__QUEUE_MODE__'
                     AND s.settled AND s.seq > pc.cursor_seq)
               + (SELECT count(*) FROM {{schema}}.message_states s
                   WHERE s.partition_id = pa.id AND s.consumer_group = '__QUEUE_MODE__'
                     AND NOT s.settled AND s.seq <= pc.cursor_seq)), 0) INTO v_depth
        FROM {{schema}}.partitions pa
        LEFT JOIN {{schema}}.partition_consumers pc
          ON pc.partition_id = pa.id AND pc.consumer_group = '__QUEUE_MODE__'
       WHERE pa.queue_id = v_limit.id;
      IF v_depth + v_limit.n > v_limit.max_queue_size THEN
        v_rows := ARRAY(
          SELECT ROW(r.i, r.q, r.p,
                     CASE WHEN r.qid = v_limit.id AND r.st = 'queued' THEN NULL ELSE r.mid END,
                     r.tx, r.tr, r.pl, r.ps, r.qid, r.pid,
                     CASE WHEN r.qid = v_limit.id AND r.st = 'queued' THEN 'failed' ELSE r.st END,
                     CASE WHEN r.qid = v_limit.id AND r.st = 'queued'
                          THEN format('Queue ''%s'' would exceed maxSize %s (%s unconsumed + %s new)',
                                      v_limit.name, v_limit.max_queue_size, v_depth, v_limit.n)
                          ELSE r.err END)::{{schema}}.push_row
            FROM unnest(v_rows) r ORDER BY r.i);
      END IF;
    END LOOP;
  END IF;

  -- One statement numbers and inserts the messages and advances each partition's last_seq.
  WITH ins AS (
    INSERT INTO {{schema}}.messages AS mm
           (id, transaction_id, trace_id, partition_id, seq, payload, created_at, producer_sub)
    SELECT r.mid, r.tx, r.tr, r.pid,
           pa.last_seq + row_number() OVER (PARTITION BY r.pid ORDER BY r.i),
           r.pl, p_now, r.ps
      FROM unnest(v_rows) r
      JOIN LATERAL (SELECT p1.last_seq FROM {{schema}}.partitions p1 WHERE p1.id = r.pid LIMIT 1) pa ON true
     WHERE r.st = 'queued'
    RETURNING mm.partition_id AS ins_pid)
  UPDATE {{schema}}.partitions pa
     SET last_seq = pa.last_seq + c.n, last_message_at = p_now, last_activity = p_now
    FROM (SELECT ins.ins_pid AS pid, count(*) AS n FROM ins GROUP BY 1) c
   WHERE pa.id = c.pid AND pa.id = ANY (v_pids);

  IF p_channel IS NOT NULL THEN
    PERFORM pg_notify(p_channel, p_origin || ':' || d.q)
       FROM (SELECT DISTINCT r.q FROM unnest(v_rows) r WHERE r.st = 'queued') d;
  END IF;

  RETURN QUERY SELECT r.i, r.st, r.mid, r.pid, r.tx, r.err FROM unnest(v_rows) r ORDER BY r.i;
END
$fn$;

-- ---------------------------------------------------------------------------------------------
-- Moves the group's cursor over the longest settled prefix starting after p_from (which the
-- caller knows to be settled), and drops the state rows it passed. Caller holds the cursor row.
CREATE OR REPLACE FUNCTION {{schema}}._advance_cursor(p_pid uuid, p_group text, p_from bigint)
RETURNS bigint
LANGUAGE plpgsql AS $fn$
DECLARE
  v_new   bigint;
  v_old   bigint;
BEGIN
  SELECT pc.cursor_seq INTO v_old FROM {{schema}}.partition_consumers pc
   WHERE pc.partition_id = p_pid AND pc.consumer_group = p_group;
  -- One statement, so both reads share one snapshot: under READ COMMITTED a second statement
  -- could see a message committed after the first looked, and the cursor would skip it.
  SELECT greatest(p_from, coalesce(
           (SELECT m.seq - 1 FROM {{schema}}.messages m
             WHERE m.partition_id = p_pid AND m.seq > p_from
               AND NOT EXISTS (SELECT 1 FROM {{schema}}.message_states s
                                WHERE s.partition_id = p_pid AND s.consumer_group = p_group
                                  AND s.seq = m.seq AND s.settled)
             ORDER BY m.seq LIMIT 1),
           (SELECT max(m.seq) FROM {{schema}}.messages m
             WHERE m.partition_id = p_pid AND m.seq > p_from),
           p_from))
    INTO v_new;
  IF v_new > v_old THEN
    UPDATE {{schema}}.partition_consumers pc
       SET cursor_seq = v_new,
           last_consumed_id = lm.id,
           last_consumed_created_at = lm.created_at
      FROM (SELECT m.id, m.created_at FROM {{schema}}.messages m
             WHERE m.partition_id = p_pid AND m.seq <= v_new ORDER BY m.seq DESC LIMIT 1) lm
     WHERE pc.partition_id = p_pid AND pc.consumer_group = p_group;
    DELETE FROM {{schema}}.message_states s
     WHERE s.partition_id = p_pid AND s.consumer_group = p_group
       AND s.seq > v_old AND s.seq <= v_new AND s.settled;
    RETURN v_new;
  END IF;
  RETURN v_old;
END
$fn$;

-- Settles one message for the group. Caller holds the cursor row.
CREATE OR REPLACE FUNCTION {{schema}}._settle(p_pid uuid, p_group text, p_seq bigint, p_now timestamptz)
RETURNS void
LANGUAGE plpgsql AS $fn$
DECLARE
  v_cursor bigint;
BEGIN
  SELECT pc.cursor_seq INTO v_cursor FROM {{schema}}.partition_consumers pc
   WHERE pc.partition_id = p_pid AND pc.consumer_group = p_group;
  UPDATE {{schema}}.partition_consumers pc
     SET total_messages_consumed = pc.total_messages_consumed + 1, last_consumed_at = p_now
   WHERE pc.partition_id = p_pid AND pc.consumer_group = p_group;
  IF p_seq <= v_cursor THEN
    -- a requeued message below the cursor
    DELETE FROM {{schema}}.message_states s
     WHERE s.partition_id = p_pid AND s.consumer_group = p_group AND s.seq = p_seq;
    UPDATE {{schema}}.partition_consumers pc
       SET has_requeued = EXISTS (SELECT 1 FROM {{schema}}.message_states s
                                   WHERE s.partition_id = p_pid AND s.consumer_group = p_group
                                     AND s.seq <= pc.cursor_seq AND NOT s.settled)
     WHERE pc.partition_id = p_pid AND pc.consumer_group = p_group;
  ELSIF p_seq = v_cursor + 1 THEN
    DELETE FROM {{schema}}.message_states s
     WHERE s.partition_id = p_pid AND s.consumer_group = p_group AND s.seq = p_seq;
    PERFORM {{schema}}._advance_cursor(p_pid, p_group, p_seq);
  ELSE
    INSERT INTO {{schema}}.message_states AS s (partition_id, consumer_group, seq, settled)
    VALUES (p_pid, p_group, p_seq, true)
    ON CONFLICT (partition_id, consumer_group, seq) DO UPDATE SET settled = true;
  END IF;
END
$fn$;

CREATE OR REPLACE FUNCTION {{schema}}._dead_letter(
    p_mid uuid, p_pid uuid, p_group text, p_error text, p_count int, p_created timestamptz,
    p_now timestamptz)
RETURNS void
LANGUAGE sql AS $fn$
  INSERT INTO {{schema}}.dead_letter_queue AS d
         (message_id, partition_id, consumer_group, error_message, retry_count,
          original_created_at, failed_at)
  VALUES (p_mid, p_pid, p_group, p_error, p_count, p_created, p_now)
  ON CONFLICT (message_id, consumer_group) DO UPDATE
     SET error_message = EXCLUDED.error_message, retry_count = EXCLUDED.retry_count,
         failed_at = EXCLUDED.failed_at;
$fn$;

-- Settles an expired lease: each message of its batch that got no ack under it counts one
-- failure ('lease expired'); past retryLimit it goes to the dead-letter queue. Then the lease is
-- cleared. Caller holds the cursor row and has checked that the lease expired.
CREATE OR REPLACE FUNCTION {{schema}}._expire_lease(
    p_pid uuid, p_group text, p_retry_limit int, p_now timestamptz)
RETURNS void
LANGUAGE plpgsql AS $fn$
DECLARE
  v_pc record;
  v_m  record;
  v_fc int;
BEGIN
  SELECT * INTO v_pc FROM {{schema}}.partition_consumers pc
   WHERE pc.partition_id = p_pid AND pc.consumer_group = p_group;
  FOR v_m IN
    SELECT m.id, m.seq, m.created_at, s.failure_count
      FROM {{schema}}.messages m
      LEFT JOIN {{schema}}.message_states s
        ON s.partition_id = m.partition_id AND s.consumer_group = p_group AND s.seq = m.seq
     WHERE m.partition_id = p_pid
       AND m.seq > v_pc.cursor_seq AND m.seq <= coalesce(v_pc.lease_last_seq, v_pc.cursor_seq)
       AND coalesce(s.settled, false) = false
       AND s.acked_lease IS DISTINCT FROM v_pc.worker_id
    UNION ALL
    SELECT m.id, m.seq, m.created_at, s.failure_count
      FROM {{schema}}.message_states s
      JOIN {{schema}}.messages m ON m.partition_id = s.partition_id AND m.seq = s.seq
     WHERE s.partition_id = p_pid AND s.consumer_group = p_group AND s.seq <= v_pc.cursor_seq
       AND NOT s.settled AND s.delivered_lease = v_pc.worker_id
       AND s.acked_lease IS DISTINCT FROM v_pc.worker_id
     ORDER BY 2
  LOOP
    v_fc := coalesce(v_m.failure_count, 0) + 1;
    IF v_fc > p_retry_limit THEN
      PERFORM {{schema}}._dead_letter(v_m.id, p_pid, p_group, 'lease expired', v_fc, v_m.created_at, p_now);
      PERFORM {{schema}}._settle(p_pid, p_group, v_m.seq, p_now);
    ELSE
      INSERT INTO {{schema}}.message_states AS s
             (partition_id, consumer_group, seq, failure_count, last_error)
      VALUES (p_pid, p_group, v_m.seq, v_fc, 'lease expired')
      ON CONFLICT (partition_id, consumer_group, seq) DO UPDATE
         SET failure_count = EXCLUDED.failure_count, last_error = EXCLUDED.last_error;
    END IF;
  END LOOP;
  UPDATE {{schema}}.partition_consumers pc
     SET worker_id = NULL, lease_expires_at = NULL, lease_last_seq = NULL, batch_size = 0,
         acked_count = 0
   WHERE pc.partition_id = p_pid AND pc.consumer_group = p_group;
END
$fn$;

-- Where a named group starts on a queue (NULL: from the beginning); records it on first sight.
CREATE OR REPLACE FUNCTION {{schema}}._group_start(
    p_group text, p_queue text, p_mode text, p_from timestamptz, p_now timestamptz)
RETURNS timestamptz
LANGUAGE plpgsql AS $fn$
DECLARE
  v_start timestamptz;
BEGIN
  IF p_group = '__QUEUE_MODE__' THEN
    RETURN NULL;
  END IF;
  SELECT g.subscription_timestamp INTO v_start FROM {{schema}}.consumer_groups_metadata g
   WHERE g.consumer_group = p_group AND g.queue_name = p_queue;
  IF FOUND THEN
    RETURN v_start;
  END IF;
  INSERT INTO {{schema}}.consumer_groups_metadata AS g
         (consumer_group, queue_name, subscription_mode, subscription_timestamp, created_at)
  VALUES (p_group, p_queue,
          CASE WHEN p_from IS NOT NULL THEN 'timestamp' WHEN p_mode = 'new' THEN 'new' ELSE 'all' END,
          CASE WHEN p_from IS NOT NULL THEN p_from WHEN p_mode = 'new' THEN p_now END,
          p_now)
  ON CONFLICT (consumer_group, queue_name) DO NOTHING;
  SELECT g.subscription_timestamp INTO v_start FROM {{schema}}.consumer_groups_metadata g
   WHERE g.consumer_group = p_group AND g.queue_name = p_queue;
  RETURN v_start;
END
$fn$;

-- Makes sure the group's cursor row exists (seeded at the group's start point) and locks it.
-- Returns 'ok' (locked, no live lease), 'locked' (busy, with p_skip_locked), 'lease_held', or
-- 'partition_not_found' (the partition was deleted meanwhile).
CREATE OR REPLACE FUNCTION {{schema}}._claim(
    p_pid uuid, p_group text, p_start timestamptz, p_skip_locked boolean, p_retry_limit int,
    p_now timestamptz)
RETURNS text
LANGUAGE plpgsql AS $fn$
DECLARE
  v_pc      record;
  v_attempt int;
BEGIN
  -- The cursor row usually exists: lock it first, create it only when the lock found nothing.
  FOR v_attempt IN 1..2 LOOP
    IF p_skip_locked THEN
      SELECT pc.worker_id, pc.lease_expires_at INTO v_pc FROM {{schema}}.partition_consumers pc
       WHERE pc.partition_id = p_pid AND pc.consumer_group = p_group FOR UPDATE SKIP LOCKED;
    ELSE
      SELECT pc.worker_id, pc.lease_expires_at INTO v_pc FROM {{schema}}.partition_consumers pc
       WHERE pc.partition_id = p_pid AND pc.consumer_group = p_group FOR UPDATE;
    END IF;
    EXIT WHEN FOUND;
    IF v_attempt = 2 THEN
      -- skipping locks: another transaction holds it; waiting: it was deleted with its partition
      RETURN CASE WHEN p_skip_locked THEN 'locked' ELSE 'partition_not_found' END;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM {{schema}}.partition_consumers pc
                    WHERE pc.partition_id = p_pid AND pc.consumer_group = p_group) THEN
      INSERT INTO {{schema}}.partition_consumers AS pc (partition_id, consumer_group, cursor_seq, created_at)
      VALUES (p_pid, p_group,
              CASE WHEN p_start IS NULL THEN 0
                   ELSE coalesce((SELECT max(m.seq) FROM {{schema}}.messages m
                                   WHERE m.partition_id = p_pid AND m.created_at <= p_start), 0) END,
              p_now)
      ON CONFLICT (partition_id, consumer_group) DO NOTHING;
    END IF;
  END LOOP;
  IF v_pc.worker_id IS NOT NULL THEN
    IF v_pc.lease_expires_at > p_now THEN
      RETURN 'lease_held';
    END IF;
    PERFORM {{schema}}._expire_lease(p_pid, p_group, p_retry_limit, p_now);
  END IF;
  RETURN 'ok';
END
$fn$;

-- Delivers up to p_budget unsettled messages of a claimed partition, FIFO, and takes the lease
-- (or settles them at once with p_auto_ack). Delivers nothing and takes no lease when none is due.
-- Caller holds the cursor row and has checked there is no live lease.
CREATE OR REPLACE FUNCTION {{schema}}._deliver(
    p_idx int, p_pid uuid, p_group text, p_lease uuid, p_budget int, p_auto_ack boolean,
    p_delay int, p_lease_seconds int, p_queue text, p_partition text, p_now timestamptz)
RETURNS TABLE(idx int, outcome text, lease_id text, message_id uuid, transaction_id text,
              trace_id uuid, payload text, producer_sub text, created_at timestamptz,
              queue_name text, partition_name text, partition_id uuid, retry_count int)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_pc       record;
  v_cutoff   timestamptz := p_now - make_interval(secs => p_delay);
  v_msgs     {{schema}}.delivery[];
  v_requeued bigint[];
  v_max      bigint;
  v_n        int;
BEGIN
  SELECT pc.cursor_seq, pc.has_requeued INTO v_pc FROM {{schema}}.partition_consumers pc
   WHERE pc.partition_id = p_pid AND pc.consumer_group = p_group;

  -- Fast path, the common case of auto-acked pops: nothing requeued and no per-message state
  -- after the cursor, so the batch is the next messages in order and the cursor moves to the last
  -- of them. One statement (one snapshot) instead of the general path's ten.
  IF p_auto_ack AND NOT v_pc.has_requeued AND NOT EXISTS (
       SELECT 1 FROM {{schema}}.message_states s
        WHERE s.partition_id = p_pid AND s.consumer_group = p_group AND s.seq > v_pc.cursor_seq) THEN
    RETURN QUERY
      WITH d AS (SELECT m.seq, m.id, m.transaction_id, m.trace_id, m.payload::text AS payload,
                        m.producer_sub, m.created_at
                   FROM {{schema}}.messages m
                  WHERE m.partition_id = p_pid AND m.seq > v_pc.cursor_seq
                    AND (p_delay = 0 OR m.created_at <= v_cutoff)
                  ORDER BY m.seq LIMIT p_budget),
           l AS (SELECT d.seq, d.id, d.created_at, (SELECT count(*) FROM d) AS n
                   FROM d ORDER BY d.seq DESC LIMIT 1),
           u AS (UPDATE {{schema}}.partition_consumers pc
                    SET cursor_seq = l.seq, last_consumed_id = l.id,
                        last_consumed_created_at = l.created_at,
                        total_messages_consumed = pc.total_messages_consumed + l.n,
                        total_batches_consumed = pc.total_batches_consumed + 1,
                        last_consumed_at = p_now, last_leased_at = p_now
                   FROM l
                  WHERE pc.partition_id = p_pid AND pc.consumer_group = p_group
                 RETURNING 1)
      SELECT p_idx, 'messages'::text, ''::text, d.id, d.transaction_id, d.trace_id, d.payload,
             d.producer_sub, d.created_at, p_queue, p_partition, p_pid, 0
        FROM d ORDER BY d.seq;
    RETURN;
  END IF;

  SELECT coalesce(array_agg(ROW(d.*)::{{schema}}.delivery ORDER BY d.seq), '{}') INTO v_msgs
    FROM ((SELECT m.seq, m.id, m.transaction_id, m.trace_id, m.payload::text, m.producer_sub,
                  m.created_at, s.failure_count, true
             FROM {{schema}}.message_states s
             JOIN {{schema}}.messages m ON m.partition_id = s.partition_id AND m.seq = s.seq
            WHERE v_pc.has_requeued AND s.partition_id = p_pid AND s.consumer_group = p_group
              AND s.seq <= v_pc.cursor_seq AND NOT s.settled
              AND (p_delay = 0 OR m.created_at <= v_cutoff)
            ORDER BY s.seq LIMIT p_budget)
          UNION ALL
          (SELECT m.seq, m.id, m.transaction_id, m.trace_id, m.payload::text, m.producer_sub,
                  m.created_at, coalesce(s.failure_count, 0), false
             FROM {{schema}}.messages m
             LEFT JOIN {{schema}}.message_states s
               ON s.partition_id = m.partition_id AND s.consumer_group = p_group AND s.seq = m.seq
            WHERE m.partition_id = p_pid AND m.seq > v_pc.cursor_seq
              AND coalesce(s.settled, false) = false
              AND (p_delay = 0 OR m.created_at <= v_cutoff)
            ORDER BY m.seq LIMIT p_budget)
          ORDER BY 1 LIMIT p_budget) d;

  v_n := cardinality(v_msgs);
  IF v_n = 0 THEN
    RETURN;
  END IF;
  SELECT max(x.seq) FILTER (WHERE NOT x.requeued), array_agg(x.seq) FILTER (WHERE x.requeued)
    INTO v_max, v_requeued FROM unnest(v_msgs) x;

  IF p_auto_ack THEN
    IF v_requeued IS NOT NULL THEN
      DELETE FROM {{schema}}.message_states s
       WHERE s.partition_id = p_pid AND s.consumer_group = p_group AND s.seq = ANY (v_requeued);
    END IF;
    IF v_max IS NOT NULL THEN
      -- every unsettled message in (cursor, v_max] was delivered, so all of that range is settled
      DELETE FROM {{schema}}.message_states s
       WHERE s.partition_id = p_pid AND s.consumer_group = p_group
         AND s.seq > v_pc.cursor_seq AND s.seq <= v_max;
      PERFORM {{schema}}._advance_cursor(p_pid, p_group, v_max);
    END IF;
    UPDATE {{schema}}.partition_consumers pc
       SET total_messages_consumed = pc.total_messages_consumed + v_n,
           total_batches_consumed = pc.total_batches_consumed + 1,
           last_consumed_at = p_now, last_leased_at = p_now,
           has_requeued = pc.has_requeued AND EXISTS (
             SELECT 1 FROM {{schema}}.message_states s
              WHERE s.partition_id = p_pid AND s.consumer_group = p_group
                AND s.seq <= pc.cursor_seq AND NOT s.settled)
     WHERE pc.partition_id = p_pid AND pc.consumer_group = p_group;
    RETURN QUERY
      SELECT p_idx, 'messages'::text, ''::text, x.id, x.transaction_id, x.trace_id, x.payload,
             x.producer_sub, x.created_at, p_queue, p_partition, p_pid, x.retry_count
        FROM unnest(v_msgs) x ORDER BY x.seq;
  ELSE
    UPDATE {{schema}}.partition_consumers pc
       SET worker_id = p_lease, lease_acquired_at = p_now,
           lease_expires_at = p_now + make_interval(secs => p_lease_seconds),
           lease_last_seq = coalesce(v_max, pc.cursor_seq), batch_size = v_n, acked_count = 0,
           last_leased_at = p_now, total_batches_consumed = pc.total_batches_consumed + 1
     WHERE pc.partition_id = p_pid AND pc.consumer_group = p_group;
    IF v_requeued IS NOT NULL THEN
      UPDATE {{schema}}.message_states s SET delivered_lease = p_lease
       WHERE s.partition_id = p_pid AND s.consumer_group = p_group AND s.seq = ANY (v_requeued);
    END IF;
    RETURN QUERY
      SELECT p_idx, 'messages'::text, p_lease::text, x.id, x.transaction_id, x.trace_id,
             x.payload, x.producer_sub, x.created_at, p_queue, p_partition, p_pid, x.retry_count
        FROM unnest(v_msgs) x ORDER BY x.seq;
  END IF;
END
$fn$;

-- ---------------------------------------------------------------------------------------------
-- pop_v1: p_requests = [{i, q, p, ns, tk, g, b, n, aa, lid, sm, sf}]. Returns the delivered
-- messages of every request, or one row per request without messages giving the outcome.
-- Named-partition requests run first, in (partition id, group) order, waiting for row locks;
-- wildcard requests run after them and skip locked rows, so they never wait.
CREATE OR REPLACE FUNCTION {{schema}}.pop_v1(p_requests jsonb, p_now timestamptz)
RETURNS TABLE(idx int, outcome text, lease_id text, message_id uuid, transaction_id text,
              trace_id uuid, payload text, producer_sub text, created_at timestamptz,
              queue_name text, partition_name text, partition_id uuid, retry_count int)
LANGUAGE plpgsql AS $fn$
DECLARE
  r         record;
  v_q       record;
  v_start   timestamptz;
  v_status  text;
  v_n       int;
  v_budget  int;
  v_claimed int;
  v_skipped int;
  -- Wildcard candidates are looked up once per (queue, group) and shared by the requests of this
  -- call that follow, each taking the next partitions no earlier request of the call has tried:
  -- the look-up is the costliest statement of a pop (it reads every partition of the queue).
  v_ckey    text;
  v_cids    uuid[];
  v_cnames  text[];
  v_cpos    int;
  v_tried   uuid[];
  v_fresh   boolean;
  v_pid     uuid;
BEGIN
  FOR r IN
    SELECT x.*, pa.id AS pid
      FROM jsonb_to_recordset(p_requests)
           AS x(i int, q text, p text, ns text, tk text, g text, b int, n int, aa boolean,
                lid uuid, sm text, sf timestamptz)
      LEFT JOIN LATERAL (SELECT q1.id FROM {{schema}}.queues q1 WHERE q1.name = x.q LIMIT 1) qu ON true
      LEFT JOIN LATERAL (SELECT p1.id FROM {{schema}}.partitions p1
                          WHERE p1.queue_id = qu.id AND p1.name = x.p LIMIT 1) pa ON true
     ORDER BY (x.p IS NULL), pa.id, x.g, x.q, x.ns, x.tk, x.i
  LOOP
    IF r.p IS NOT NULL THEN
      IF r.pid IS NULL THEN
        RETURN QUERY SELECT r.i, 'partition_not_found'::text, NULL::text, NULL::uuid, NULL::text,
          NULL::uuid, NULL::text, NULL::text, NULL::timestamptz, r.q, r.p, NULL::uuid, 0;
        CONTINUE;
      END IF;
      SELECT qu.* INTO v_q FROM {{schema}}.queues qu WHERE qu.name = r.q;
      IF v_q.window_buffer > 0 AND EXISTS (
           SELECT 1 FROM {{schema}}.partitions pa
            WHERE pa.id = r.pid
              AND pa.last_message_at > p_now - make_interval(secs => v_q.window_buffer)) THEN
        RETURN QUERY SELECT r.i, 'window_buffer_active'::text, NULL::text, NULL::uuid, NULL::text,
          NULL::uuid, NULL::text, NULL::text, NULL::timestamptz, r.q, r.p, r.pid, 0;
        CONTINUE;
      END IF;
      v_start := {{schema}}._group_start(r.g, r.q, r.sm, r.sf, p_now);
      v_status := {{schema}}._claim(r.pid, r.g, v_start, false, v_q.retry_limit, p_now);
      IF v_status <> 'ok' THEN
        RETURN QUERY SELECT r.i, v_status, NULL::text, NULL::uuid, NULL::text,
          NULL::uuid, NULL::text, NULL::text, NULL::timestamptz, r.q, r.p, r.pid, 0;
        CONTINUE;
      END IF;
      RETURN QUERY SELECT * FROM {{schema}}._deliver(r.i, r.pid, r.g, r.lid, r.b, r.aa,
        v_q.delayed_processing, CASE WHEN v_q.lease_time = 0 THEN 60 ELSE v_q.lease_time END,
        r.q, r.p, p_now);
      GET DIAGNOSTICS v_n = ROW_COUNT;
      IF v_n = 0 THEN
        RETURN QUERY SELECT r.i, 'no_messages'::text, NULL::text, NULL::uuid, NULL::text,
          NULL::uuid, NULL::text, NULL::text, NULL::timestamptz, r.q, r.p, r.pid, 0;
      END IF;
    ELSE
      v_budget := r.b;
      v_claimed := 0;
      v_skipped := 0;
      <<queues>>
      FOR v_q IN
        SELECT qu.* FROM {{schema}}.queues qu
         WHERE (r.q IS NOT NULL AND qu.name = r.q)
            OR (r.q IS NULL AND (r.ns IS NULL OR qu.namespace = r.ns)
                            AND (r.tk IS NULL OR qu.task = r.tk))
         ORDER BY qu.priority DESC, qu.name
      LOOP
        v_start := {{schema}}._group_start(r.g, v_q.name, r.sm, r.sf, p_now);
        IF v_ckey IS DISTINCT FROM v_q.id::text || '/' || r.g THEN
          v_ckey := v_q.id::text || '/' || r.g;
          v_cids := '{}';
          v_cpos := 1;
          v_tried := '{}';
        END IF;
        v_fresh := false;
        LOOP
          IF v_cpos > cardinality(v_cids) THEN
            -- at most one fresh look-up per request and queue: an exhausted fresh list means
            -- nothing more is available now
            EXIT WHEN v_fresh;
            v_fresh := true;
            -- Least recently leased first: a partition with pending work is never starved.
            SELECT coalesce(array_agg(k.id ORDER BY k.ord), '{}'),
                   coalesce(array_agg(k.name ORDER BY k.ord), '{}')
              INTO v_cids, v_cnames
              FROM (SELECT pa.id, pa.name,
                           row_number() OVER (ORDER BY pc.last_leased_at NULLS FIRST, pa.id) AS ord
                      FROM {{schema}}.partitions pa
                      LEFT JOIN LATERAL (SELECT c1.cursor_seq, c1.has_requeued, c1.worker_id,
                                                c1.lease_expires_at, c1.last_leased_at
                                           FROM {{schema}}.partition_consumers c1
                                          WHERE c1.partition_id = pa.id
                                            AND c1.consumer_group = r.g) pc ON true
                     WHERE pa.queue_id = v_q.id
                       AND NOT (pa.id = ANY (v_tried))
                       AND (pa.last_seq > coalesce(pc.cursor_seq, 0) OR coalesce(pc.has_requeued, false))
                       AND (pc.worker_id IS NULL OR pc.lease_expires_at <= p_now)
                       AND (v_q.window_buffer = 0
                            OR pa.last_message_at <= p_now - make_interval(secs => v_q.window_buffer))
                       -- With delayedProcessing, only partitions whose first unsettled message is
                       -- due (the message at cursor+1 is the first unsettled one): partitions
                       -- holding only delayed messages would otherwise fill the candidate list and
                       -- hide due ones.
                       AND (v_q.delayed_processing = 0 OR coalesce(pc.has_requeued, false)
                            OR EXISTS (SELECT 1 FROM {{schema}}.messages m
                                        WHERE m.partition_id = pa.id
                                          AND m.seq = coalesce(pc.cursor_seq, 0) + 1
                                          AND m.created_at <= p_now - make_interval(secs => v_q.delayed_processing)))
                     ORDER BY pc.last_leased_at NULLS FIRST, pa.id
                     LIMIT (r.n - v_claimed) * 4 + 16) k;
            v_cpos := 1;
            EXIT WHEN cardinality(v_cids) = 0;
          END IF;
          v_pid := v_cids[v_cpos];
          v_cpos := v_cpos + 1;
          v_tried := v_tried || v_pid;
          v_status := {{schema}}._claim(v_pid, r.g, v_start, true, v_q.retry_limit, p_now);
          IF v_status = 'locked' THEN
            v_skipped := v_skipped + 1;
          END IF;
          CONTINUE WHEN v_status <> 'ok';
          RETURN QUERY SELECT * FROM {{schema}}._deliver(r.i, v_pid, r.g, r.lid, v_budget, r.aa,
            v_q.delayed_processing, CASE WHEN v_q.lease_time = 0 THEN 60 ELSE v_q.lease_time END,
            v_q.name, v_cnames[v_cpos - 1], p_now);
          GET DIAGNOSTICS v_n = ROW_COUNT;
          IF v_n > 0 THEN
            v_claimed := v_claimed + 1;
            v_budget := v_budget - v_n;
          END IF;
          EXIT queues WHEN v_claimed >= r.n OR v_budget <= 0;
        END LOOP;
      END LOOP;
      -- 'busy': nothing claimed, but partitions were skipped because another transaction was
      -- claiming them; a message it did not see may be left, so a waiting pop must look again
      -- soon rather than sleep until the next push.
      IF v_claimed = 0 THEN
        RETURN QUERY SELECT r.i,
          CASE WHEN v_skipped > 0 THEN 'busy' ELSE 'no_available_partition' END::text, NULL::text, NULL::uuid,
          NULL::text, NULL::uuid, NULL::text, NULL::text, NULL::timestamptz, r.q, NULL::text,
          NULL::uuid, 0;
      END IF;
    END IF;
  END LOOP;
END
$fn$;

-- ---------------------------------------------------------------------------------------------
-- _ack_one: one acknowledgement, message by message (the general path). a = (i, tx, pid, st, g,
-- lid, err, mid, seq, mcreated, pname, qname, retry_limit).
CREATE OR REPLACE FUNCTION {{schema}}._ack_one(
    a_i int, a_tx text, a_pid uuid, a_st text, a_g text, a_lid uuid, a_err text, a_mid uuid,
    a_seq bigint, a_mcreated timestamptz, a_pname text, a_qname text, a_retry_limit int,
    p_now timestamptz)
RETURNS TABLE(idx int, success boolean, error text, queue_name text, partition_name text,
              lease_released boolean, dlq boolean)
LANGUAGE plpgsql AS $fn$
DECLARE
  a          record;
  v_pc       record;
  v_s        record;
  v_has      boolean;
  v_live     boolean;
  v_settled  boolean;
  v_in_lease boolean;
  v_count    boolean;
  v_dlq      boolean;
  v_released boolean;
  v_fc       int;
BEGIN
  SELECT a_i AS i, a_tx AS tx, a_pid AS pid, a_st AS st, a_g AS g, a_lid AS lid, a_err AS err,
         a_mid AS mid, a_seq AS seq, a_mcreated AS mcreated, a_pname AS pname, a_qname AS qname,
         a_retry_limit AS retry_limit
    INTO a;
    IF a.mid IS NULL THEN
      RETURN QUERY SELECT a.i, false, 'Message not found'::text, NULL::text, NULL::text, false, false;
      RETURN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM {{schema}}.partition_consumers pc
                    WHERE pc.partition_id = a.pid AND pc.consumer_group = a.g) THEN
      INSERT INTO {{schema}}.partition_consumers AS pc (partition_id, consumer_group, created_at)
      VALUES (a.pid, a.g, p_now) ON CONFLICT (partition_id, consumer_group) DO NOTHING;
    END IF;
    SELECT * INTO v_pc FROM {{schema}}.partition_consumers pc
     WHERE pc.partition_id = a.pid AND pc.consumer_group = a.g FOR UPDATE;
    v_live := v_pc.worker_id IS NOT NULL AND v_pc.lease_expires_at > p_now;
    SELECT * INTO v_s FROM {{schema}}.message_states s
     WHERE s.partition_id = a.pid AND s.consumer_group = a.g AND s.seq = a.seq;
    v_has := FOUND;
    v_settled := CASE WHEN a.seq <= v_pc.cursor_seq THEN NOT (v_has AND NOT v_s.settled)
                      ELSE v_has AND v_s.settled END;
    -- Idempotency wins over the lease check: a retried ack whose first answer was lost (and
    -- which released the lease) must still succeed.
    IF v_settled THEN
      RETURN QUERY SELECT a.i, true, NULL::text, a.qname, a.pname, false, false;
      RETURN;
    END IF;
    IF a.lid IS NOT NULL AND NOT (v_live AND v_pc.worker_id = a.lid) THEN
      RETURN QUERY SELECT a.i, false, 'Invalid or expired lease'::text, a.qname, a.pname, false, false;
      RETURN;
    END IF;
    -- A failed or retry ack repeated under the same live lease is the same delivery's answer
    -- sent twice: count it once.
    IF a.st IN ('failed', 'retry') AND v_live AND v_has
       AND v_s.acked_lease IS NOT DISTINCT FROM v_pc.worker_id THEN
      RETURN QUERY SELECT a.i, true, NULL::text, a.qname, a.pname, false, false;
      RETURN;
    END IF;

    v_in_lease := v_live AND (
      (a.seq > v_pc.cursor_seq AND a.seq <= v_pc.lease_last_seq)
      OR (a.seq <= v_pc.cursor_seq AND v_has AND v_s.delivered_lease = v_pc.worker_id));
    v_count := v_in_lease AND NOT (v_has AND v_s.acked_lease IS NOT DISTINCT FROM v_pc.worker_id);
    v_dlq := false;

    IF a.st = 'completed' THEN
      PERFORM {{schema}}._settle(a.pid, a.g, a.seq, p_now);
    ELSIF a.st = 'dlq' THEN
      PERFORM {{schema}}._dead_letter(a.mid, a.pid, a.g, coalesce(a.err, 'Moved to the dead-letter queue'),
        CASE WHEN v_has THEN v_s.failure_count ELSE 0 END, a.mcreated, p_now);
      PERFORM {{schema}}._settle(a.pid, a.g, a.seq, p_now);
      v_dlq := true;
    ELSIF a.st = 'failed' THEN
      v_fc := CASE WHEN v_has THEN v_s.failure_count ELSE 0 END + 1;
      IF v_fc > a.retry_limit THEN
        PERFORM {{schema}}._dead_letter(a.mid, a.pid, a.g, coalesce(a.err, 'Retries exhausted'),
          v_fc, a.mcreated, p_now);
        PERFORM {{schema}}._settle(a.pid, a.g, a.seq, p_now);
        v_dlq := true;
      ELSE
        INSERT INTO {{schema}}.message_states AS s
               (partition_id, consumer_group, seq, failure_count, acked_lease, last_error)
        VALUES (a.pid, a.g, a.seq, v_fc, CASE WHEN v_in_lease THEN v_pc.worker_id END, a.err)
        ON CONFLICT (partition_id, consumer_group, seq) DO UPDATE
           SET failure_count = EXCLUDED.failure_count,
               acked_lease = coalesce(EXCLUDED.acked_lease, s.acked_lease),
               last_error = EXCLUDED.last_error;
      END IF;
    ELSIF a.st = 'retry' THEN
      IF v_in_lease THEN
        INSERT INTO {{schema}}.message_states AS s (partition_id, consumer_group, seq, acked_lease)
        VALUES (a.pid, a.g, a.seq, v_pc.worker_id)
        ON CONFLICT (partition_id, consumer_group, seq) DO UPDATE SET acked_lease = EXCLUDED.acked_lease;
      END IF;
    ELSE
      RAISE EXCEPTION 'unknown ack status %', a.st USING ERRCODE = '22023';
    END IF;

    v_released := false;
    IF v_count THEN
      UPDATE {{schema}}.partition_consumers pc SET acked_count = pc.acked_count + 1
       WHERE pc.partition_id = a.pid AND pc.consumer_group = a.g
      RETURNING pc.acked_count >= pc.batch_size INTO v_released;
      IF v_released THEN
        UPDATE {{schema}}.partition_consumers pc
           SET worker_id = NULL, lease_expires_at = NULL, lease_last_seq = NULL, batch_size = 0,
               acked_count = 0
         WHERE pc.partition_id = a.pid AND pc.consumer_group = a.g;
      END IF;
    END IF;
    RETURN QUERY SELECT a.i, true, NULL::text, a.qname, a.pname, v_released, v_dlq;
END
$fn$;

-- ack_v1: p_acks = [{i, tx, pid, st, g, lid, err}], one row per ack. Acks are taken per
-- (partition, group), in that order (the fixed lock order). A group whose acks are all
-- 'completed' for exactly the next messages after the cursor, with no per-message state and a
-- valid lease (the everyday case of a consumer acking its batch), is settled with one cursor
-- update; any other group goes message by message through _ack_one.
CREATE OR REPLACE FUNCTION {{schema}}.ack_v1(p_acks jsonb, p_now timestamptz)
RETURNS TABLE(idx int, success boolean, error text, queue_name text, partition_name text,
              lease_released boolean, dlq boolean)
LANGUAGE plpgsql AS $fn$
DECLARE
  gr         record;
  a          record;
  v_pc       record;
  v_live     boolean;
  v_fast     boolean;
  v_in_lease int;
  v_acked    int;
  v_released boolean;
BEGIN
  FOR gr IN
    SELECT x.pid, x.g,
           count(*) AS n,
           count(DISTINCT m.seq) AS nd,
           min(m.seq) AS lo, max(m.seq) AS hi,
           bool_and(x.st = 'completed' AND m.id IS NOT NULL) AS all_completed,
           count(DISTINCT x.lid) AS nlids, min(x.lid::text)::uuid AS lid,
           min(pa.name) AS pname, min(qu.name) AS qname,
           array_agg(x.i ORDER BY m.seq, x.i) AS idxs
      FROM jsonb_to_recordset(p_acks)
           AS x(i int, tx text, pid uuid, st text, g text, lid uuid, err text)
      LEFT JOIN LATERAL (SELECT m1.id, m1.seq FROM {{schema}}.messages m1
                          WHERE m1.partition_id = x.pid AND m1.transaction_id = x.tx LIMIT 1) m ON true
      LEFT JOIN LATERAL (SELECT p1.name, p1.queue_id FROM {{schema}}.partitions p1
                          WHERE p1.id = x.pid LIMIT 1) pa ON true
      LEFT JOIN LATERAL (SELECT q1.name FROM {{schema}}.queues q1 WHERE q1.id = pa.queue_id LIMIT 1) qu ON true
     GROUP BY x.pid, x.g
     ORDER BY x.pid, x.g
  LOOP
    v_fast := false;
    IF gr.all_completed AND gr.nd = gr.n AND gr.nlids <= 1 THEN
      SELECT * INTO v_pc FROM {{schema}}.partition_consumers pc
       WHERE pc.partition_id = gr.pid AND pc.consumer_group = gr.g FOR UPDATE;
      IF FOUND THEN
        v_live := v_pc.worker_id IS NOT NULL AND v_pc.lease_expires_at > p_now;
        v_fast := gr.lo = v_pc.cursor_seq + 1 AND gr.hi = v_pc.cursor_seq + gr.n
          AND (gr.lid IS NULL OR (v_live AND v_pc.worker_id = gr.lid))
          AND NOT v_pc.has_requeued
          AND NOT EXISTS (SELECT 1 FROM {{schema}}.message_states s
                           WHERE s.partition_id = gr.pid AND s.consumer_group = gr.g);
      END IF;
    END IF;

    IF v_fast THEN
      v_in_lease := CASE WHEN v_live THEN greatest(0, least(gr.hi, v_pc.lease_last_seq) - v_pc.cursor_seq)::int
                         ELSE 0 END;
      v_acked := v_pc.acked_count + v_in_lease;
      v_released := v_live AND v_in_lease > 0 AND v_acked >= v_pc.batch_size;
      UPDATE {{schema}}.partition_consumers pc
         SET cursor_seq = gr.hi,
             last_consumed_id = lm.id, last_consumed_created_at = lm.created_at,
             total_messages_consumed = pc.total_messages_consumed + gr.n,
             last_consumed_at = p_now,
             acked_count = CASE WHEN v_released THEN 0 ELSE v_acked END,
             worker_id = CASE WHEN v_released THEN NULL ELSE pc.worker_id END,
             lease_expires_at = CASE WHEN v_released THEN NULL ELSE pc.lease_expires_at END,
             lease_last_seq = CASE WHEN v_released THEN NULL ELSE pc.lease_last_seq END,
             batch_size = CASE WHEN v_released THEN 0 ELSE pc.batch_size END
        FROM (SELECT m.id, m.created_at FROM {{schema}}.messages m
               WHERE m.partition_id = gr.pid AND m.seq = gr.hi) lm
       WHERE pc.partition_id = gr.pid AND pc.consumer_group = gr.g;
      -- The ack of the last message is the one that released the lease.
      RETURN QUERY
        SELECT u.i, true, NULL::text, gr.qname, gr.pname,
               v_released AND u.ord = gr.n, false
          FROM unnest(gr.idxs) WITH ORDINALITY AS u(i, ord);
    ELSE
      FOR a IN
        SELECT x.i, x.tx, x.pid, x.st, x.g, x.lid, x.err, m.id AS mid, m.seq,
               m.created_at AS mcreated, pa.name AS pname, qu.name AS qname, qu.retry_limit
          FROM jsonb_to_recordset(p_acks)
               AS x(i int, tx text, pid uuid, st text, g text, lid uuid, err text)
          LEFT JOIN LATERAL (SELECT m1.id, m1.seq, m1.created_at FROM {{schema}}.messages m1
                              WHERE m1.partition_id = x.pid AND m1.transaction_id = x.tx LIMIT 1) m ON true
          LEFT JOIN LATERAL (SELECT p1.name, p1.queue_id FROM {{schema}}.partitions p1
                              WHERE m.id IS NOT NULL AND p1.id = x.pid LIMIT 1) pa ON true
          LEFT JOIN LATERAL (SELECT q1.name, q1.retry_limit FROM {{schema}}.queues q1
                              WHERE q1.id = pa.queue_id LIMIT 1) qu ON true
         WHERE x.i = ANY (gr.idxs)
         ORDER BY m.seq, x.i
      LOOP
        RETURN QUERY SELECT * FROM {{schema}}._ack_one(a.i, a.tx, a.pid, a.st, a.g, a.lid, a.err,
          a.mid, a.seq, a.mcreated, a.pname, a.qname, a.retry_limit, p_now);
      END LOOP;
    END IF;
  END LOOP;
END
$fn$;

-- ---------------------------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION {{schema}}.extend_lease_v1(p_lease uuid, p_seconds int, p_now timestamptz)
RETURNS TABLE(status text, expires_at timestamptz)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_exp timestamptz;
BEGIN
  WITH u AS (
    UPDATE {{schema}}.partition_consumers pc
       SET lease_expires_at = greatest(pc.lease_expires_at, p_now + make_interval(secs => p_seconds))
     WHERE pc.worker_id = p_lease AND pc.lease_expires_at > p_now
    RETURNING pc.lease_expires_at)
  SELECT max(u.lease_expires_at) INTO v_exp FROM u;
  IF v_exp IS NOT NULL THEN
    RETURN QUERY SELECT 'extended'::text, v_exp;
  ELSIF EXISTS (SELECT 1 FROM {{schema}}.partition_consumers pc WHERE pc.worker_id = p_lease) THEN
    RETURN QUERY SELECT 'expired'::text, NULL::timestamptz;
  ELSE
    RETURN QUERY SELECT 'not_found'::text, NULL::timestamptz;
  END IF;
END
$fn$;

-- Releases a live lease without counting failures (its batch could not be delivered).
CREATE OR REPLACE FUNCTION {{schema}}.release_lease_v1(p_lease uuid, p_now timestamptz)
RETURNS int
LANGUAGE sql AS $fn$
  WITH u AS (
    UPDATE {{schema}}.partition_consumers pc
       SET worker_id = NULL, lease_expires_at = NULL, lease_last_seq = NULL, batch_size = 0,
           acked_count = 0
     WHERE pc.worker_id = p_lease AND pc.lease_expires_at > p_now
    RETURNING 1)
  SELECT count(*)::int FROM u;
$fn$;

-- Settles up to p_limit expired leases; run periodically by every instance (rows are claimed with
-- SKIP LOCKED, so instances share the work without waiting on each other).
CREATE OR REPLACE FUNCTION {{schema}}.reap_leases_v1(p_now timestamptz, p_limit int)
RETURNS int
LANGUAGE plpgsql AS $fn$
DECLARE
  r   record;
  v_n int := 0;
BEGIN
  FOR r IN
    SELECT pc.partition_id, pc.consumer_group, qu.retry_limit
      FROM {{schema}}.partition_consumers pc
      JOIN {{schema}}.partitions pa ON pa.id = pc.partition_id
      JOIN {{schema}}.queues qu ON qu.id = pa.queue_id
     WHERE pc.worker_id IS NOT NULL AND pc.lease_expires_at <= p_now
     ORDER BY pc.partition_id, pc.consumer_group
     LIMIT p_limit
       FOR UPDATE OF pc SKIP LOCKED
  LOOP
    PERFORM {{schema}}._expire_lease(r.partition_id, r.consumer_group, r.retry_limit, p_now);
    v_n := v_n + 1;
  END LOOP;
  RETURN v_n;
END
$fn$;

-- Makes dead-letter entries deliverable to their group again, with their failure count reset.
CREATE OR REPLACE FUNCTION {{schema}}.requeue_dlq_v1(p_queue text, p_group text, p_ids uuid[])
RETURNS int
LANGUAGE plpgsql AS $fn$
DECLARE
  d   record;
  v_n int := 0;
BEGIN
  FOR d IN
    SELECT dl.id, dl.partition_id, dl.consumer_group, m.seq
      FROM {{schema}}.dead_letter_queue dl
      JOIN {{schema}}.messages m ON m.id = dl.message_id
      JOIN {{schema}}.partitions pa ON pa.id = dl.partition_id
      JOIN {{schema}}.queues qu ON qu.id = pa.queue_id
     WHERE qu.name = p_queue
       AND (p_group IS NULL OR dl.consumer_group = p_group)
       AND (p_ids IS NULL OR dl.message_id = ANY (p_ids))
     ORDER BY dl.partition_id, dl.consumer_group, m.seq
  LOOP
    PERFORM 1 FROM {{schema}}.partition_consumers pc
     WHERE pc.partition_id = d.partition_id AND pc.consumer_group = d.consumer_group FOR UPDATE;
    DELETE FROM {{schema}}.dead_letter_queue dl WHERE dl.id = d.id;
    INSERT INTO {{schema}}.message_states AS s (partition_id, consumer_group, seq, settled, failure_count)
    VALUES (d.partition_id, d.consumer_group, d.seq, false, 0)
    ON CONFLICT (partition_id, consumer_group, seq) DO UPDATE
       SET settled = false, failure_count = 0, acked_lease = NULL, delivered_lease = NULL,
           last_error = NULL;
    UPDATE {{schema}}.partition_consumers pc
       SET has_requeued = pc.has_requeued OR d.seq <= pc.cursor_seq
     WHERE pc.partition_id = d.partition_id AND pc.consumer_group = d.consumer_group;
    v_n := v_n + 1;
  END LOOP;
  RETURN v_n;
END
$fn$;

-- ---------------------------------------------------------------------------------------------
-- transaction_v1: acks then pushes in one transaction. Any ack that does not succeed, any push
-- item that fails, or any required lease that is not live raises QU001, rolling everything back.
CREATE OR REPLACE FUNCTION {{schema}}.transaction_v1(
    p_acks jsonb, p_items jsonb, p_required uuid[], p_now timestamptz, p_auto_create boolean,
    p_channel text, p_origin text)
RETURNS TABLE(kind text, idx int, success boolean, error text, status text, message_id uuid,
              partition_id uuid, transaction_id text, queue_name text, partition_name text,
              lease_released boolean, dlq boolean)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_missing uuid;
  a         record;
  p         record;
BEGIN
  SELECT l INTO v_missing FROM unnest(p_required) l
   WHERE NOT EXISTS (SELECT 1 FROM {{schema}}.partition_consumers pc
                      WHERE pc.worker_id = l AND pc.lease_expires_at > p_now)
   LIMIT 1;
  IF v_missing IS NOT NULL THEN
    RAISE EXCEPTION 'Required lease % is not live', v_missing USING ERRCODE = 'QU001';
  END IF;
  FOR a IN SELECT * FROM {{schema}}.ack_v1(p_acks, p_now) LOOP
    IF NOT a.success THEN
      RAISE EXCEPTION 'ACK operation failed: %', a.error USING ERRCODE = 'QU001';
    END IF;
    RETURN QUERY SELECT 'ack'::text, a.idx, true, NULL::text, NULL::text, NULL::uuid, NULL::uuid,
      NULL::text, a.queue_name, a.partition_name, a.lease_released, a.dlq;
  END LOOP;
  FOR p IN SELECT * FROM {{schema}}.push_v1(p_items, p_now, p_auto_create, p_channel, p_origin) LOOP
    IF p.status = 'failed' THEN
      RAISE EXCEPTION 'PUSH operation failed: %', p.error USING ERRCODE = 'QU001';
    END IF;
    RETURN QUERY SELECT 'push'::text, p.idx, true, NULL::text, p.status, p.message_id,
      p.partition_id, p.transaction_id, NULL::text, NULL::text, false, false;
  END LOOP;
END
$fn$;

-- Makes auto-acked messages deliverable to their group again: used when a pop result was settled
-- at pop time (autoAck) but could not be handed to its consumer. They come back before anything
-- newer in their partition, like messages requeued from the dead-letter queue.
CREATE OR REPLACE FUNCTION {{schema}}.unsettle_v1(p_group text, p_messages uuid[])
RETURNS int
LANGUAGE plpgsql AS $fn$
DECLARE
  r   record;
  v_n int := 0;
BEGIN
  FOR r IN
    SELECT m.partition_id, m.seq FROM {{schema}}.messages m
     WHERE m.id = ANY (p_messages) ORDER BY m.partition_id, m.seq
  LOOP
    PERFORM 1 FROM {{schema}}.partition_consumers pc
     WHERE pc.partition_id = r.partition_id AND pc.consumer_group = p_group FOR UPDATE;
    CONTINUE WHEN NOT FOUND;
    INSERT INTO {{schema}}.message_states AS s (partition_id, consumer_group, seq, settled)
    VALUES (r.partition_id, p_group, r.seq, false)
    ON CONFLICT (partition_id, consumer_group, seq) DO UPDATE
       SET settled = false, acked_lease = NULL, delivered_lease = NULL;
    UPDATE {{schema}}.partition_consumers pc
       SET has_requeued = pc.has_requeued OR r.seq <= pc.cursor_seq,
           total_messages_consumed = greatest(pc.total_messages_consumed - 1, 0)
     WHERE pc.partition_id = r.partition_id AND pc.consumer_group = p_group;
    v_n := v_n + 1;
  END LOOP;
  RETURN v_n;
END
$fn$;
