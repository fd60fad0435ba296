-- Cross-instance wake-ups: the LISTEN session and the census of other listeners.

-- name: backend_pid
SELECT pg_backend_pid()

-- name: listen
-- Last statement of the LISTEN session: pg_stat_activity shows it as the session's query, which is
-- how other instances count listeners.
LISTEN {{schema}}_push

-- name: other_listeners
-- (the LISTEN statement's text, this instance's listening pid) -> sessions that may be other
-- instances' listeners. A session whose query this role may not see counts as one; without
-- track_activities nothing is visible, so count one (always notify).
SELECT count(*) FILTER (WHERE a.query = ? AND a.pid <> ?)
       + count(*) FILTER (WHERE a.query = '<insufficient privilege>')
       + CASE WHEN current_setting('track_activities')::boolean THEN 0 ELSE 1 END
  FROM pg_stat_activity a
 WHERE a.datname = current_database()
