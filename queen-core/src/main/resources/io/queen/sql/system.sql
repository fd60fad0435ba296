-- Maintenance modes: cluster-wide flags in system_state ({"enabled": bool}, keys as the
-- original's), read by every instance every second and on a NOTIFY.

-- name: maintenance_flags
-- -> (push maintenance on, pop maintenance on)
SELECT coalesce((SELECT (value ->> 'enabled')::boolean FROM {{schema}}.system_state
                  WHERE key = 'maintenance_mode'), false),
       coalesce((SELECT (value ->> 'enabled')::boolean FROM {{schema}}.system_state
                  WHERE key = 'pop_maintenance_mode'), false)

-- name: set_maintenance_flag
-- (key, enabled, now): upsert.
INSERT INTO {{schema}}.system_state (key, value, updated_at)
VALUES (?, jsonb_build_object('enabled', ?::boolean), ?)
ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at

-- name: notify_system_change
-- (channel, payload): tells the other instances' listeners to read the flags now.
SELECT pg_notify(?, ?)
