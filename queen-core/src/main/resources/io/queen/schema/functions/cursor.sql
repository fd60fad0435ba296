-- The consumption primitives every operation that moves a group's cursor shares: settling,
-- dead-lettering, lease expiry, group start points, claiming a partition, delivering a batch.
-- Queen's operations as set-based PL/pgSQL functions: one call carries a whole group-commit batch.
-- Locking order, everywhere: queues rows (only those with maxSize) by id, then partitions rows by
-- id (FOR NO KEY UPDATE, so foreign-key checks from other tables are not blocked), and
-- partition_consumers rows by (partition_id, consumer_group). Pushes never lock
-- partition_consumers; pops and acks never lock partitions. That fixed order is what keeps
-- concurrent batches from deadlocking; the Java side still retries a batch on 40P01 as a backstop.


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

-- Retry back-off: after the n-th failure (p_failures) of a message that stays to be redelivered,
-- the group waits retry_delay * retry_backoff^(n-1) ms, at most retry_delay_max (or one day when
-- that is 0), before it is delivered this partition again; FIFO keeps the later messages behind
-- the failed one. Caller holds the cursor row.
CREATE OR REPLACE FUNCTION {{schema}}._back_off(
    p_pid uuid, p_group text, p_failures int, p_now timestamptz)
RETURNS void
LANGUAGE plpgsql AS $fn$
DECLARE
  v_q  record;
  v_ms double precision;
BEGIN
  SELECT qu.retry_delay, qu.retry_backoff, qu.retry_delay_max INTO v_q
    FROM {{schema}}.partitions pa JOIN {{schema}}.queues qu ON qu.id = pa.queue_id
   WHERE pa.id = p_pid;
  IF NOT FOUND OR v_q.retry_delay <= 0 THEN
    RETURN;
  END IF;
  v_ms := least(v_q.retry_delay * power(v_q.retry_backoff, greatest(p_failures - 1, 0)),
                CASE WHEN v_q.retry_delay_max > 0 THEN v_q.retry_delay_max ELSE 86400000 END);
  UPDATE {{schema}}.partition_consumers pc
     SET retry_not_before = greatest(coalesce(pc.retry_not_before, p_now),
                                     p_now + make_interval(secs => v_ms / 1000.0))
   WHERE pc.partition_id = p_pid AND pc.consumer_group = p_group;
END
$fn$;

-- Settles an expired lease: each message of its batch that got no ack under it counts one
-- failure ('lease expired'); past retryLimit it goes to the dead-letter queue. Then the lease is
-- cleared. Caller holds the cursor row and has checked that the lease expired.
CREATE OR REPLACE FUNCTION {{schema}}._expire_lease(
    p_pid uuid, p_group text, p_retry_limit int, p_now timestamptz)
RETURNS void
LANGUAGE plpgsql AS $fn$
DECLARE
  v_pc    record;
  v_m     record;
  v_fc    int;
  v_retry int := 0;
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
      v_retry := greatest(v_retry, v_fc);
    END IF;
  END LOOP;
  UPDATE {{schema}}.partition_consumers pc
     SET worker_id = NULL, lease_expires_at = NULL, lease_last_seq = NULL, batch_size = 0,
         acked_count = 0
   WHERE pc.partition_id = p_pid AND pc.consumer_group = p_group;
  IF v_retry > 0 THEN
    PERFORM {{schema}}._back_off(p_pid, p_group, v_retry, p_now);
  END IF;
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
-- o_status is 'ok' (locked, no live lease), 'locked' (busy, with p_skip_locked), 'lease_held',
-- or 'partition_not_found' (the partition was deleted meanwhile); with 'ok' the other fields are
-- the locked row's, which _deliver takes instead of reading the row again.
-- (It replaced _claim, which returned the status alone: that one is dropped; an instance of an
-- earlier build makes its own functions again when it starts.)
DROP FUNCTION IF EXISTS {{schema}}._claim(uuid, text, timestamptz, boolean, int, timestamptz);
CREATE OR REPLACE FUNCTION {{schema}}._claim_cursor(
    p_pid uuid, p_group text, p_start timestamptz, p_skip_locked boolean, p_retry_limit int,
    p_now timestamptz, OUT o_status text, OUT o_cursor_seq bigint, OUT o_has_requeued boolean,
    OUT o_retry_not_before timestamptz)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_pc      record;
  v_attempt int;
BEGIN
  -- The cursor row usually exists: lock it first, create it only when the lock found nothing.
  FOR v_attempt IN 1..2 LOOP
    IF p_skip_locked THEN
      SELECT pc.worker_id, pc.lease_expires_at, pc.cursor_seq, pc.has_requeued, pc.retry_not_before
        INTO v_pc FROM {{schema}}.partition_consumers pc
       WHERE pc.partition_id = p_pid AND pc.consumer_group = p_group FOR UPDATE SKIP LOCKED;
    ELSE
      SELECT pc.worker_id, pc.lease_expires_at, pc.cursor_seq, pc.has_requeued, pc.retry_not_before
        INTO v_pc FROM {{schema}}.partition_consumers pc
       WHERE pc.partition_id = p_pid AND pc.consumer_group = p_group FOR UPDATE;
    END IF;
    EXIT WHEN FOUND;
    IF v_attempt = 2 THEN
      -- skipping locks: another transaction holds it; waiting: it was deleted with its partition
      o_status := CASE WHEN p_skip_locked THEN 'locked' ELSE 'partition_not_found' END;
      RETURN;
    END IF;
    IF EXISTS (SELECT 1 FROM {{schema}}.partition_consumers pc
                WHERE pc.partition_id = p_pid AND pc.consumer_group = p_group) THEN
      IF p_skip_locked THEN
        o_status := 'locked'; -- it exists and another transaction holds it: no second look
        RETURN;
      END IF;
    ELSE
      BEGIN
        INSERT INTO {{schema}}.partition_consumers AS pc (partition_id, consumer_group, cursor_seq, created_at)
        VALUES (p_pid, p_group,
                CASE WHEN p_start IS NULL THEN 0
                     ELSE coalesce((SELECT max(m.seq) FROM {{schema}}.messages m
                                     WHERE m.partition_id = p_pid AND m.created_at <= p_start), 0) END,
                p_now)
        ON CONFLICT (partition_id, consumer_group) DO NOTHING;
      EXCEPTION WHEN foreign_key_violation THEN
        o_status := 'partition_not_found'; -- removed by the inactive-partition cleanup meanwhile
        RETURN;
      END;
    END IF;
  END LOOP;
  IF v_pc.worker_id IS NOT NULL THEN
    IF v_pc.lease_expires_at > p_now THEN
      o_status := 'lease_held';
      RETURN;
    END IF;
    PERFORM {{schema}}._expire_lease(p_pid, p_group, p_retry_limit, p_now);
    -- the expiry requeued messages or set a back-off: read what it left
    SELECT pc.worker_id, pc.lease_expires_at, pc.cursor_seq, pc.has_requeued, pc.retry_not_before
      INTO v_pc FROM {{schema}}.partition_consumers pc
     WHERE pc.partition_id = p_pid AND pc.consumer_group = p_group;
  END IF;
  o_status := 'ok';
  o_cursor_seq := v_pc.cursor_seq;
  o_has_requeued := v_pc.has_requeued;
  o_retry_not_before := v_pc.retry_not_before;
END
$fn$;

-- Delivers up to p_budget unsettled messages of a claimed partition, FIFO, and takes the lease
-- (or settles them at once with p_auto_ack). Delivers nothing and takes no lease when none is due.
-- Caller holds the cursor row, has checked there is no live lease, and passes the row's cursor,
-- has_requeued and retry_not_before as _claim_cursor read them under the lock.
-- (The cursor fields joined its arguments with _claim_cursor: the one before, whose callers
-- are gone, is dropped.)
DROP FUNCTION IF EXISTS {{schema}}._deliver(integer, uuid, text, uuid, integer, boolean, integer,
  integer, text, text, timestamp with time zone);
CREATE OR REPLACE FUNCTION {{schema}}._deliver(
    p_idx int, p_pid uuid, p_group text, p_cursor bigint, p_has_requeued boolean,
    p_retry_not_before timestamptz, p_lease uuid, p_budget int, p_auto_ack boolean,
    p_delay int, p_lease_seconds int, p_queue text, p_partition text, p_now timestamptz)
RETURNS TABLE(idx int, outcome text, lease_id text, message_id uuid, transaction_id text,
              trace_id uuid, payload text, producer_sub text, created_at timestamptz,
              queue_name text, partition_name text, partition_id uuid, retry_count int,
              trace_context text)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_cutoff   timestamptz := p_now - make_interval(secs => p_delay);
  v_msgs     {{schema}}.delivery[];
  v_requeued bigint[];
  v_max      bigint;
  v_n        int;
BEGIN
  IF p_retry_not_before > p_now THEN
    RETURN; -- the partition's head waits out its retry back-off, and the rest with it (FIFO)
  END IF;

  -- Fast path, the common case of auto-acked pops: nothing requeued and no per-message state
  -- after the cursor, so the batch is the next messages in order and the cursor moves to the last
  -- of them. One statement (one snapshot) instead of the general path's ten.
  IF p_auto_ack AND NOT p_has_requeued AND NOT EXISTS (
       SELECT 1 FROM {{schema}}.message_states s
        WHERE s.partition_id = p_pid AND s.consumer_group = p_group AND s.seq > p_cursor) THEN
    RETURN QUERY
      -- a payload stored encrypted is delivered marked '~' (QueueEncryption), here and below
      WITH d AS (SELECT m.seq, m.id, m.transaction_id, m.trace_id,
                        CASE WHEN m.is_encrypted THEN '~' || m.payload::text
                             ELSE m.payload::text END AS payload,
                        m.producer_sub, m.created_at, m.trace_context
                   FROM {{schema}}.messages m
                  WHERE m.partition_id = p_pid AND m.seq > p_cursor
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
             d.producer_sub, d.created_at, p_queue, p_partition, p_pid, 0, d.trace_context
        FROM d ORDER BY d.seq;
    RETURN;
  END IF;

  SELECT coalesce(array_agg(ROW(d.*)::{{schema}}.delivery ORDER BY d.seq), '{}') INTO v_msgs
    FROM ((SELECT m.seq, m.id, m.transaction_id, m.trace_id,
                  CASE WHEN m.is_encrypted THEN '~' || m.payload::text ELSE m.payload::text END,
                  m.producer_sub,
                  m.created_at, s.failure_count, true, m.trace_context
             FROM {{schema}}.message_states s
             JOIN {{schema}}.messages m ON m.partition_id = s.partition_id AND m.seq = s.seq
            WHERE p_has_requeued AND s.partition_id = p_pid AND s.consumer_group = p_group
              AND s.seq <= p_cursor AND NOT s.settled
              AND (p_delay = 0 OR m.created_at <= v_cutoff)
            ORDER BY s.seq LIMIT p_budget)
          UNION ALL
          (SELECT m.seq, m.id, m.transaction_id, m.trace_id,
                  CASE WHEN m.is_encrypted THEN '~' || m.payload::text ELSE m.payload::text END,
                  m.producer_sub,
                  m.created_at, coalesce(s.failure_count, 0), false, m.trace_context
             FROM {{schema}}.messages m
             LEFT JOIN {{schema}}.message_states s
               ON s.partition_id = m.partition_id AND s.consumer_group = p_group AND s.seq = m.seq
            WHERE m.partition_id = p_pid AND m.seq > p_cursor
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
         AND s.seq > p_cursor AND s.seq <= v_max;
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
             x.producer_sub, x.created_at, p_queue, p_partition, p_pid, x.retry_count,
             x.trace_context
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
             x.payload, x.producer_sub, x.created_at, p_queue, p_partition, p_pid, x.retry_count,
             x.trace_context
        FROM unnest(v_msgs) x ORDER BY x.seq;
  END IF;
END
$fn$;
