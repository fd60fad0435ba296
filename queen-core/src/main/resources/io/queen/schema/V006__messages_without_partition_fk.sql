-- The messages -> partitions foreign key goes: its check ran once per inserted message (a
-- KEY SHARE look-up of the partition row) and cost push batch 100 a third of its throughput
-- (docs/benchmarks.md, "Where a message's cost goes"). What it guaranteed still holds:
--   * a message never names a missing partition: push_v1 inserts only into partitions it has
--     locked (FOR NO KEY UPDATE, held to commit), and the partition cleanup deletes only
--     partitions that hold no message, under FOR UPDATE, so neither can race the other;
--   * a deleted queue takes its messages: delete_queue_v1 locks the queue and its partitions,
--     then deletes their messages before the queue (which cascades to the partitions).
-- The messages' own dependants (dead letters, traces) keep their keys to messages.
ALTER TABLE {{schema}}.messages DROP CONSTRAINT IF EXISTS messages_partition_id_fkey;
