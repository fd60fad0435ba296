-- Pop: one call per group-commit batch of pop requests.

-- pop_v1: p_requests = an array of pop_request (contract.sql). Returns the delivered
-- messages of every request, or one row per request without messages giving the outcome.
-- Named-partition requests run first, in (partition id, group) order, waiting for row locks;
-- wildcard requests run after them and skip locked rows, so they never wait.
-- (trace_context joined its result in version 5: the one made before is dropped once. Callers
-- select its columns by name, so an instance of the version before keeps working with this one.)
DO $drop$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_proc
              WHERE oid = to_regprocedure('{{schema}}.pop_v1(jsonb, timestamp with time zone)')
                AND NOT ('trace_context' = ANY (proargnames))) THEN
    DROP FUNCTION {{schema}}.pop_v1(jsonb, timestamp with time zone);
  END IF;
END
$drop$;
CREATE OR REPLACE FUNCTION {{schema}}.pop_v1(p_requests jsonb, p_now timestamptz)
RETURNS TABLE(idx int, outcome text, lease_id text, message_id uuid, transaction_id text,
              trace_id uuid, payload text, producer_sub text, created_at timestamptz,
              queue_name text, partition_name text, partition_id uuid, retry_count int,
              trace_context text)
-- Generic plans for every statement of the pop, nested functions included: PostgreSQL otherwise
-- keeps re-planning the delivery's range-and-LIMIT queries for each call (their generic estimate
-- looks worse than the custom one), and planning cost as much as running them (docs/benchmarks.md,
-- "Generic plans for the pop"). Every statement here reads by key (the queue look-up below is
-- split so that it does too), so one plan fits all values.
SET plan_cache_mode = force_generic_plan
LANGUAGE plpgsql AS $fn$
DECLARE
  r         record;
  v_q       record;
  v_start   timestamptz;
  v_c       record; -- _claim_cursor's result
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
      FROM jsonb_populate_recordset(NULL::{{schema}}.pop_request, p_requests) x
      LEFT JOIN LATERAL (SELECT q1.id FROM {{schema}}.queues q1 WHERE q1.name = x.q LIMIT 1) qu ON true
      LEFT JOIN LATERAL (SELECT p1.id FROM {{schema}}.partitions p1
                          WHERE p1.queue_id = qu.id AND p1.name = x.p LIMIT 1) pa ON true
     ORDER BY (x.p IS NULL), pa.id, x.g, x.q, x.ns, x.tk, x.i
  LOOP
    IF r.p IS NOT NULL THEN
      IF r.pid IS NULL THEN
        RETURN QUERY SELECT r.i, 'partition_not_found'::text, NULL::text, NULL::uuid, NULL::text,
          NULL::uuid, NULL::text, NULL::text, NULL::timestamptz, r.q, r.p, NULL::uuid, 0, NULL::text;
        CONTINUE;
      END IF;
      SELECT qu.* INTO v_q FROM {{schema}}.queues qu WHERE qu.name = r.q;
      IF v_q.window_buffer > 0 AND EXISTS (
           SELECT 1 FROM {{schema}}.partitions pa
            WHERE pa.id = r.pid
              AND pa.last_message_at > p_now - make_interval(secs => v_q.window_buffer)) THEN
        RETURN QUERY SELECT r.i, 'window_buffer_active'::text, NULL::text, NULL::uuid, NULL::text,
          NULL::uuid, NULL::text, NULL::text, NULL::timestamptz, r.q, r.p, r.pid, 0, NULL::text;
        CONTINUE;
      END IF;
      v_start := {{schema}}._group_start(r.g, r.q, r.sm, r.sf, p_now);
      v_c := {{schema}}._claim_cursor(r.pid, r.g, v_start, false, v_q.retry_limit, p_now);
      IF v_c.o_status <> 'ok' THEN
        RETURN QUERY SELECT r.i, v_c.o_status, NULL::text, NULL::uuid, NULL::text,
          NULL::uuid, NULL::text, NULL::text, NULL::timestamptz, r.q, r.p, r.pid, 0, NULL::text;
        CONTINUE;
      END IF;
      RETURN QUERY SELECT * FROM {{schema}}._deliver(r.i, r.pid, r.g, v_c.o_cursor_seq,
        v_c.o_has_requeued, v_c.o_retry_not_before, r.lid, r.b, r.aa,
        v_q.delayed_processing, CASE WHEN v_q.lease_time = 0 THEN 60 ELSE v_q.lease_time END,
        r.q, r.p, p_now);
      GET DIAGNOSTICS v_n = ROW_COUNT;
      IF v_n = 0 THEN
        RETURN QUERY SELECT r.i, 'no_messages'::text, NULL::text, NULL::uuid, NULL::text,
          NULL::uuid, NULL::text, NULL::text, NULL::timestamptz, r.q, r.p, r.pid, 0, NULL::text;
      END IF;
    ELSE
      v_budget := r.b;
      v_claimed := 0;
      v_skipped := 0;
      <<queues>>
      -- One branch per kind of request, each gated by a one-time filter: under this function's
      -- generic plans a single OR of them would scan every queue even for a pop by name.
      FOR v_q IN
        SELECT qu.* FROM {{schema}}.queues qu WHERE r.q IS NOT NULL AND qu.name = r.q
        UNION ALL
        SELECT qu.* FROM {{schema}}.queues qu
         WHERE r.q IS NULL AND r.ns IS NOT NULL AND qu.namespace = r.ns
           AND (r.tk IS NULL OR qu.task = r.tk)
        UNION ALL
        SELECT qu.* FROM {{schema}}.queues qu
         WHERE r.q IS NULL AND r.ns IS NULL AND (r.tk IS NULL OR qu.task = r.tk)
         ORDER BY priority DESC, name
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
                                                c1.lease_expires_at, c1.last_leased_at,
                                                c1.retry_not_before
                                           FROM {{schema}}.partition_consumers c1
                                          WHERE c1.partition_id = pa.id
                                            AND c1.consumer_group = r.g) pc ON true
                     WHERE pa.queue_id = v_q.id
                       AND NOT (pa.id = ANY (v_tried))
                       AND (pa.last_seq > coalesce(pc.cursor_seq, 0) OR coalesce(pc.has_requeued, false))
                       AND (pc.worker_id IS NULL OR pc.lease_expires_at <= p_now)
                       AND (pc.retry_not_before IS NULL OR pc.retry_not_before <= p_now)
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
          v_c := {{schema}}._claim_cursor(v_pid, r.g, v_start, true, v_q.retry_limit, p_now);
          IF v_c.o_status = 'locked' THEN
            v_skipped := v_skipped + 1;
          END IF;
          CONTINUE WHEN v_c.o_status <> 'ok';
          RETURN QUERY SELECT * FROM {{schema}}._deliver(r.i, v_pid, r.g, v_c.o_cursor_seq,
            v_c.o_has_requeued, v_c.o_retry_not_before, r.lid, v_budget, r.aa,
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
          NULL::uuid, 0, NULL::text;
      END IF;
    END IF;
  END LOOP;
END
$fn$;
