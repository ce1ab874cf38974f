-- Tenant key rotation (PRODUCT §9). A rotation adds a new primary key to the tenant's AEAD keyset and keeps the
-- older keys enabled, so everything wrapped before stays readable; key_version counts the rotations and rotated_at
-- is when the last one happened (NULL = never rotated: the key is as old as created_at).
-- Adding a column with a constant default only changes the catalogue (PostgreSQL 11+), so this runs without
-- rewriting or long-locking either table.
ALTER TABLE tenant_keys
  ADD COLUMN key_version INT NOT NULL DEFAULT 1,
  ADD COLUMN rotated_at TIMESTAMPTZ;

-- Which tenant key version wrapped the lead's data key. Before this migration every tenant had one key, so every
-- existing row was wrapped by version 1. A rotation re-wraps the rows below its version in batches; one that was
-- interrupted leaves rows behind that the next rotation picks up, and the count shows how far re-wrapping got.
ALTER TABLE lead_keys ADD COLUMN wrapped_by_version INT NOT NULL DEFAULT 1;

-- Finding the tenants due for rotation, oldest first.
CREATE INDEX tenant_keys_last_rotation_idx ON tenant_keys ((coalesce(rotated_at, created_at)));
