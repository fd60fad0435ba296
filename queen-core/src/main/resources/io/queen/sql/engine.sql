-- Statements of the engine's plumbing.

-- name: synchronous_commit_off
-- For work whose loss in a crash is harmless (leases, ANALYZE): the commit does not wait for the
-- WAL flush.
SET LOCAL synchronous_commit = off

-- name: health
SELECT 1
