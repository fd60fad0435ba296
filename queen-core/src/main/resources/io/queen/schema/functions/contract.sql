-- The JSON contract between the engine and these functions: the members of each element of a
-- batch argument, defined here once as a composite type and read with jsonb_populate_recordset.
-- The Java side is io.queen.internal.db.BatchContract; BatchContractTest fails when they drift.
-- Created when missing, never replaced (running instances' cached plans refer to them): a changed
-- member list must DROP TYPE and CREATE it again here, as a changed function signature must.
DO $contract$
BEGIN
  IF to_regtype('{{schema}}.push_item') IS NULL THEN
    -- ps: the producer's identity (PushItem.producerSub, stamped by the server from a token)
    CREATE TYPE {{schema}}.push_item AS (
      i int, q text, p text, mid uuid, tx text, tr uuid, pl jsonb, ps text, en boolean);
  END IF;
  -- en: the payload is the encrypted form. Added in place to databases made before it (a
  -- member an older build does not send reads as NULL, which is false).
  IF NOT EXISTS (SELECT 1 FROM pg_attribute
                  WHERE attrelid = to_regclass('{{schema}}.push_item') AND attname = 'en') THEN
    ALTER TYPE {{schema}}.push_item ADD ATTRIBUTE en boolean;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_attribute
                  WHERE attrelid = to_regclass('{{schema}}.push_row') AND attname = 'en') THEN
    ALTER TYPE {{schema}}.push_row ADD ATTRIBUTE en boolean;
  END IF;
  -- tc: the W3C trace context to store with the message (TraceContext.encoded()), added as en was.
  IF NOT EXISTS (SELECT 1 FROM pg_attribute
                  WHERE attrelid = to_regclass('{{schema}}.push_item') AND attname = 'tc') THEN
    ALTER TYPE {{schema}}.push_item ADD ATTRIBUTE tc text;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_attribute
                  WHERE attrelid = to_regclass('{{schema}}.push_row') AND attname = 'tc') THEN
    ALTER TYPE {{schema}}.push_row ADD ATTRIBUTE tc text;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_attribute
                  WHERE attrelid = to_regclass('{{schema}}.delivery') AND attname = 'trace_context') THEN
    ALTER TYPE {{schema}}.delivery ADD ATTRIBUTE trace_context text;
  END IF;
  IF to_regtype('{{schema}}.pop_request') IS NULL THEN
    CREATE TYPE {{schema}}.pop_request AS (
      i int, q text, p text, ns text, tk text, g text, b int, n int, aa boolean, lid uuid,
      sm text, sf timestamptz);
  END IF;
  IF to_regtype('{{schema}}.ack_item') IS NULL THEN
    CREATE TYPE {{schema}}.ack_item AS (
      i int, tx text, pid uuid, st text, g text, lid uuid, err text);
  END IF;
END
$contract$;
