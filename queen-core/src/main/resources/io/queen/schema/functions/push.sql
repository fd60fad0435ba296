-- Push: one call per group-commit batch of pushed messages.

-- push_v1: p_items = an array of push_item (contract.sql), one row per item. With p_channel,
-- notifies '<p_origin>:<queue>' once per queue that received messages (delivered at commit).
--
-- The steady state (every queue and partition exists, no maxSize, nothing to encrypt) takes three
-- statements: resolve the batch's distinct partitions, lock them, and one statement that checks
-- duplicates, numbers and inserts the messages and advances the partitions. Everything else
-- (creating queues and partitions, maxSize, refusing plain payloads of encrypted queues) goes to
-- _push_general, which carries each item through PL/pgSQL arrays and costs about three times as
-- much per message (docs/benchmarks.md, "push_v1's steady state").
CREATE OR REPLACE FUNCTION {{schema}}.push_v1(
    p_items jsonb, p_now timestamptz, p_auto_create boolean, p_channel text, p_origin text)
RETURNS TABLE(idx int, status text, message_id uuid, partition_id uuid, transaction_id text,
              error text)
LANGUAGE plpgsql AS $fn$
DECLARE
  v_queues  text[];
  v_names   text[];
  v_pids    uuid[];
  v_steady  boolean;
  v_locked  uuid[];
  v_seqs    bigint[];
BEGIN
  SELECT array_agg(t.q), array_agg(t.p), array_agg(t.pid), bool_and(t.steady)
    INTO v_queues, v_names, v_pids, v_steady
    FROM (SELECT k.q, k.p, pa.id AS pid,
                 bool_and(pa.id IS NOT NULL AND coalesce(qu.max_queue_size, 0) <= 0
                          AND (NOT qu.encryption_enabled OR k.en)) AS steady
            FROM (SELECT DISTINCT x.q, coalesce(x.p, 'Default') AS p, coalesce(x.en, false) AS en
                    FROM jsonb_to_recordset(p_items) x(q text, p text, en boolean)) k
            -- index probes whatever the statistics say (see _push_general)
            LEFT JOIN LATERAL (SELECT q1.id, q1.max_queue_size, q1.encryption_enabled
                                 FROM {{schema}}.queues q1 WHERE q1.name = k.q LIMIT 1) qu ON true
            LEFT JOIN LATERAL (SELECT p1.id FROM {{schema}}.partitions p1
                                WHERE p1.queue_id = qu.id AND p1.name = k.p LIMIT 1) pa ON true
           GROUP BY k.q, k.p, pa.id) t;
  IF NOT coalesce(v_steady, false) THEN
    RETURN QUERY SELECT * FROM {{schema}}._push_general(p_items, p_now, p_auto_create, p_channel,
                                                        p_origin);
    RETURN;
  END IF;

  -- Locked in id order until commit, as in _push_general: seq order is commit order, and the
  -- duplicate check of the next statement (a new snapshot, taken after the locks) is race-free.
  SELECT array_agg(l.id), array_agg(l.last_seq) INTO v_locked, v_seqs
    FROM (SELECT pa.id, pa.last_seq FROM {{schema}}.partitions pa
           WHERE pa.id = ANY (v_pids) ORDER BY pa.id FOR NO KEY UPDATE) l;
  IF coalesce(cardinality(v_locked), 0) < cardinality(v_pids) THEN
    RAISE EXCEPTION 'a partition was removed while pushing to it' USING ERRCODE = '40001';
  END IF;

  RETURN QUERY
  WITH target AS (
    SELECT k.q, k.p, k.pid, l.last_seq
      FROM unnest(v_queues, v_names, v_pids) k(q, p, pid)
      JOIN unnest(v_locked, v_seqs) l(pid, last_seq) ON l.pid = k.pid),
  item AS (
    -- first_mid and n_tx: an earlier item of this batch with the same transaction id makes this
    -- one a duplicate of it; existing: a stored message with it does
    SELECT x.i, x.mid, x.tx, x.tr, x.pl, x.ps, x.en, x.tc, t.pid, t.last_seq, m.id AS existing,
           first_value(x.mid) OVER w AS first_mid, row_number() OVER w AS n_tx
      FROM jsonb_populate_recordset(NULL::{{schema}}.push_item, p_items) x
      JOIN target t ON t.q = x.q AND t.p = coalesce(x.p, 'Default')
      LEFT JOIN LATERAL (SELECT m1.id FROM {{schema}}.messages m1
                          WHERE m1.partition_id = t.pid AND m1.transaction_id = x.tx LIMIT 1) m ON true
    WINDOW w AS (PARTITION BY t.pid, x.tx ORDER BY x.i)),
  ins AS (
    INSERT INTO {{schema}}.messages AS mm
           (id, transaction_id, trace_id, partition_id, seq, payload, created_at, producer_sub,
            is_encrypted, trace_context)
    SELECT it.mid, it.tx, it.tr, it.pid,
           it.last_seq + row_number() OVER (PARTITION BY it.pid ORDER BY it.i),
           coalesce(it.pl, 'null'::jsonb), p_now, it.ps, coalesce(it.en, false), it.tc
      FROM item it
     WHERE it.n_tx = 1 AND it.existing IS NULL
    RETURNING mm.partition_id AS ins_pid),
  advanced AS (
    UPDATE {{schema}}.partitions pa
       SET last_seq = pa.last_seq + c.n, last_message_at = p_now, last_activity = p_now
      FROM (SELECT ins.ins_pid AS pid, count(*) AS n FROM ins GROUP BY 1) c
     WHERE pa.id = c.pid AND pa.id = ANY (v_locked))
  -- (a data-modifying WITH runs to completion whether or not the query reads it)
  SELECT it.i, CASE WHEN it.existing IS NOT NULL OR it.n_tx > 1 THEN 'duplicate' ELSE 'queued' END,
         coalesce(it.existing, it.first_mid), it.pid, it.tx, NULL::text
    FROM item it
   ORDER BY it.i;

  IF p_channel IS NOT NULL THEN
    PERFORM pg_notify(p_channel, p_origin || ':' || d.q)
       FROM (SELECT DISTINCT k.q FROM unnest(v_queues, v_pids) k(q, pid)
               JOIN unnest(v_locked, v_seqs) l(pid, last_seq) ON l.pid = k.pid
               JOIN {{schema}}.partitions pa ON pa.id = k.pid
              WHERE pa.last_seq > l.last_seq) d;
  END IF;
END
$fn$;

-- _push_general: push_v1 for any batch: creates missing queues and partitions (p_auto_create),
-- enforces maxSize, and answers needs_encryption for a plain payload of an encrypted queue.
CREATE OR REPLACE FUNCTION {{schema}}._push_general(
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
  v_locked  int;
BEGIN
  -- Parse once, resolving queue and partition ids (the steady state: both exist).
  -- A plain payload for an encrypted queue is refused (needs_encryption): the engine learns
  -- the queue is encrypted, and sends the item again sealed (QueueEncryption).
  SELECT coalesce(array_agg(ROW(x.i, x.q, coalesce(x.p, 'Default'), x.mid, x.tx, x.tr,
                                coalesce(x.pl, 'null'::jsonb), x.ps, qu.id, pa.id,
                                CASE WHEN qu.id IS NULL THEN 'failed'
                                     WHEN qu.encryption_enabled AND NOT coalesce(x.en, false)
                                     THEN 'needs_encryption' ELSE 'queued' END,
                                CASE WHEN qu.id IS NULL
                                     THEN format('Queue ''%s'' does not exist', x.q)
                                     WHEN qu.encryption_enabled AND NOT coalesce(x.en, false)
                                     THEN format('Queue ''%s'' has encryptionEnabled', x.q) END,
                                coalesce(x.en, false), x.tc)
                            ::{{schema}}.push_row ORDER BY x.i), '{}'),
         coalesce(bool_or(pa.id IS NULL), false), coalesce(bool_or(qu.max_queue_size > 0), false)
    INTO v_rows, v_missing, v_limited
    FROM jsonb_populate_recordset(NULL::{{schema}}.push_item, p_items) x
    -- LATERAL lookups with LIMIT 1 are index probes whatever the statistics say: plain joins (and
    -- LATERAL subqueries, which the planner flattens into joins) were planned as hash joins over
    -- a sequential scan, because a recordset function is estimated at 100 rows and the partitions
    -- table looked small or was large (stale statistics after a burst; 10,000 partitions). A
    -- LIMIT keeps the subquery a parameterised index probe per item (see docs/benchmarks.md).
    LEFT JOIN LATERAL (SELECT q1.id, q1.max_queue_size, q1.encryption_enabled
                         FROM {{schema}}.queues q1 WHERE q1.name = x.q LIMIT 1) qu ON true
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
                 CASE WHEN qu.id IS NULL THEN 'failed'
                      WHEN qu.encryption_enabled AND NOT r.en THEN 'needs_encryption'
                      ELSE 'queued' END,
                 CASE WHEN qu.id IS NULL THEN format('Queue ''%s'' does not exist', r.q)
                      WHEN qu.encryption_enabled AND NOT r.en
                      THEN format('Queue ''%s'' has encryptionEnabled', r.q) END,
                 r.en, r.tc)::{{schema}}.push_row
        FROM unnest(v_rows) r
        -- index probes, as above: this runs for every batch that creates partitions, which is
        -- when the statistics of partitions are most out of date
        LEFT JOIN LATERAL (SELECT q1.id, q1.encryption_enabled FROM {{schema}}.queues q1
                            WHERE q1.name = r.q LIMIT 1) qu ON true
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
  SELECT count(*) INTO v_locked
    FROM (SELECT 1 FROM {{schema}}.partitions pa
           WHERE pa.id = ANY (v_pids)
           ORDER BY pa.id FOR NO KEY UPDATE) l;
  IF v_locked < cardinality(v_pids) THEN
    -- a partition was removed (inactive-partition cleanup) between the look-up and the lock: a
    -- serialization failure makes the engine run the batch again, which creates it anew
    RAISE EXCEPTION 'a partition was removed while pushing to it' USING ERRCODE = '40001';
  END IF;

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
               r.err, r.en, r.tc)::{{schema}}.push_row
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
                          ELSE r.err END, r.en, r.tc)::{{schema}}.push_row
            FROM unnest(v_rows) r ORDER BY r.i);
      END IF;
    END LOOP;
  END IF;

  -- One statement numbers and inserts the messages and advances each partition's last_seq.
  WITH ins AS (
    INSERT INTO {{schema}}.messages AS mm
           (id, transaction_id, trace_id, partition_id, seq, payload, created_at, producer_sub,
            is_encrypted, trace_context)
    SELECT r.mid, r.tx, r.tr, r.pid,
           pa.last_seq + row_number() OVER (PARTITION BY r.pid ORDER BY r.i),
           r.pl, p_now, r.ps, r.en, r.tc
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
