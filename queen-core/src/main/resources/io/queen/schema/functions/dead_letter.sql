-- Giving messages back to their group: dead-letter requeue, and auto-acked pop results nobody
-- received.

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
