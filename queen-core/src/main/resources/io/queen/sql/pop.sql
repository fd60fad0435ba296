-- name: pop
-- One group-commit batch of pops: (requests jsonb, now). Requests follow BatchContract.PopRequest.
SELECT idx, outcome, lease_id, message_id, transaction_id, trace_id, payload, producer_sub,
       created_at, queue_name, partition_name, partition_id, retry_count, trace_context
  FROM {{schema}}.pop_v1(?::jsonb, ?)

-- name: unsettle
-- (group, message ids): auto-acked messages nobody received become deliverable again.
SELECT {{schema}}.unsettle_v1(?, ?)
