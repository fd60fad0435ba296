-- name: transaction
-- (acks jsonb, push items jsonb, required leases, now, auto-create, NOTIFY channel or null,
-- instance id). Raises QU001 when anything in it fails; then nothing of it commits.
SELECT kind, idx, status, message_id, partition_id, queue_name, partition_name, lease_released, dlq
  FROM {{schema}}.transaction_v1(?::jsonb, ?::jsonb, ?, ?, ?, ?, ?)
