-- Leases: extension, release, and the reaper's settlement of expired leases.

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
