-- name: extend_lease
-- (lease id, seconds, now) -> 'extended' | 'expired' | 'not_found', and the new expiry.
SELECT status, expires_at FROM {{schema}}.extend_lease_v1(?, ?, ?)

-- name: release_lease
-- (lease id, now) -> partitions released.
SELECT {{schema}}.release_lease_v1(?, ?)

-- name: reap_leases
-- (now, most leases) -> expired leases settled.
SELECT {{schema}}.reap_leases_v1(?, ?)
