-- Transaction: acks then pushes, all or nothing.

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
    IF p.status = 'needs_encryption' THEN
      -- the engine seals the queue's payloads and runs the transaction again
      RAISE EXCEPTION '%', p.error USING ERRCODE = 'QE001';
    END IF;
    RETURN QUERY SELECT 'push'::text, p.idx, true, NULL::text, p.status, p.message_id,
      p.partition_id, p.transaction_id, NULL::text, NULL::text, false, false;
  END LOOP;
END
$fn$;
