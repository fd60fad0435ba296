-- Acknowledgement: one call per group-commit batch of acks.

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
        PERFORM {{schema}}._back_off(a.pid, a.g, v_fc, p_now);
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

-- ack_v1: p_acks = an array of ack_item (contract.sql), one row per ack. Acks are taken per
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
      FROM jsonb_populate_recordset(NULL::{{schema}}.ack_item, p_acks) x
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
          FROM jsonb_populate_recordset(NULL::{{schema}}.ack_item, p_acks) x
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
