-- Message traces: recording and reading.

-- name: record_trace
-- (trace id, group, event type, data, worker id, now, partition id, transaction id)
INSERT INTO {{schema}}.message_traces (id, message_id, partition_id, transaction_id,
    consumer_group, event_type, data, worker_id, created_at)
SELECT ?, m.id, m.partition_id, m.transaction_id, ?, ?, ?::jsonb, ?, ?
  FROM {{schema}}.messages m WHERE m.partition_id = ? AND m.transaction_id = ?

-- name: record_trace_names
INSERT INTO {{schema}}.message_trace_names (trace_id, trace_name, created_at)
SELECT ?, unnest(?::text[]), ? ON CONFLICT DO NOTHING

-- name: traces_of_message
SELECT t.id, t.transaction_id, t.partition_id, t.event_type, t.data::text, t.consumer_group,
       t.worker_id, t.created_at,
       ARRAY(SELECT n.trace_name FROM {{schema}}.message_trace_names n WHERE n.trace_id = t.id
              ORDER BY n.trace_name)
  FROM {{schema}}.message_traces t
 WHERE t.partition_id = ? AND t.transaction_id = ?
 ORDER BY t.created_at, t.id

-- name: traces_by_name
SELECT t.id, t.transaction_id, t.partition_id, t.event_type, t.data::text, t.consumer_group,
       t.worker_id, t.created_at,
       ARRAY(SELECT n.trace_name FROM {{schema}}.message_trace_names n WHERE n.trace_id = t.id
              ORDER BY n.trace_name),
       qu.name, pa.name, m.payload::text, coalesce(m.is_encrypted, false)
  FROM {{schema}}.message_trace_names n0
  JOIN {{schema}}.message_traces t ON t.id = n0.trace_id
  LEFT JOIN {{schema}}.messages m ON m.id = t.message_id
  LEFT JOIN {{schema}}.partitions pa ON pa.id = t.partition_id
  LEFT JOIN {{schema}}.queues qu ON qu.id = pa.queue_id
 WHERE n0.trace_name = ?
 ORDER BY t.created_at DESC, t.id
 LIMIT ? OFFSET ?

-- name: count_traces_by_name
SELECT count(*) FROM {{schema}}.message_trace_names WHERE trace_name = ?

-- name: trace_names
SELECT n.trace_name, count(*), count(DISTINCT t.message_id), max(t.created_at)
  FROM {{schema}}.message_trace_names n
  JOIN {{schema}}.message_traces t ON t.id = n.trace_id
 GROUP BY n.trace_name
 ORDER BY max(t.created_at) DESC, n.trace_name
 LIMIT ? OFFSET ?

-- name: count_trace_names
SELECT count(DISTINCT trace_name) FROM {{schema}}.message_trace_names
