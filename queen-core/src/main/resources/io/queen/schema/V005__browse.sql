-- The message browser's walk of a queue's partitions from the one pushed to last
-- (browse_newest_v1): without it every browse of a queue read all its partition rows (10,000 in
-- the benchmark) to find the few that hold the newest messages. A push changes last_message_at, so
-- its partition update is no longer HOT; measured within the run-to-run spread of push b10 and
-- push b10 over 10,000 partitions (docs/benchmarks.md, "The operations API at scale").
CREATE INDEX partitions_newest_idx ON {{schema}}.partitions (queue_id, last_message_at, id);
