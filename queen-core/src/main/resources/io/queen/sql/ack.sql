-- name: ack
-- One group-commit batch of acks: (acks jsonb, now). Acks follow BatchContract.AckItem.
SELECT idx, success, error, queue_name, partition_name, lease_released, dlq
  FROM {{schema}}.ack_v1(?::jsonb, ?)
