-- The schema migrator's own statements (the migrations are under io/queen/schema/).

-- name: migration_lock
-- Several instances may start at once: the first migrates, the others wait here.
SELECT pg_advisory_xact_lock(hashtext('queen.migrate.{{schema}}'))

-- name: create_schema
CREATE SCHEMA IF NOT EXISTS {{schema}}

-- name: create_version_table
CREATE TABLE IF NOT EXISTS {{schema}}.schema_version (
  version integer PRIMARY KEY, script text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())

-- name: add_checksum_column
ALTER TABLE {{schema}}.schema_version ADD COLUMN IF NOT EXISTS checksum text

-- name: applied_versions
SELECT version, coalesce(checksum, '') FROM {{schema}}.schema_version

-- name: record_reapplied
UPDATE {{schema}}.schema_version SET checksum = ?, applied_at = now() WHERE version = ?

-- name: record_applied
INSERT INTO {{schema}}.schema_version (checksum, version, script) VALUES (?, ?, ?)
