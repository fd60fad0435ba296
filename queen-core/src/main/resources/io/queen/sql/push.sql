-- name: push
-- One group-commit batch of pushes: (items jsonb, now, auto-create queues, NOTIFY channel or null,
-- this instance's id). Items follow BatchContract.PushItem.
SELECT idx, status, message_id, partition_id, error
  FROM {{schema}}.push_v1(?::jsonb, ?, ?, ?, ?)
