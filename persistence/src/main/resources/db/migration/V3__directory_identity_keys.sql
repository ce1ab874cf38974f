-- Which tenant owns which channel account. The primary key makes registration unique across tenants.
CREATE TABLE channel_accounts (
  channel TEXT NOT NULL,
  external_id TEXT NOT NULL,
  tenant_id TEXT NOT NULL,
  business_account_id TEXT,
  display_name TEXT NOT NULL,
  default_region TEXT NOT NULL,
  verify_token_hash TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (channel, external_id)
);
CREATE INDEX channel_accounts_business_account_idx ON channel_accounts (business_account_id);
CREATE INDEX channel_accounts_verify_token_idx ON channel_accounts (verify_token_hash);
CREATE INDEX channel_accounts_tenant_idx ON channel_accounts (tenant_id);

-- Identifier (blind-indexed: HMAC under the tenant's key, never clear text) -> lead. One owner per identifier:
-- the primary key is what keeps one lead per person when first messages race.
CREATE TABLE lead_identities (
  tenant_id TEXT NOT NULL,
  identifier_index TEXT NOT NULL,
  kind TEXT NOT NULL,
  lead_id TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, identifier_index)
);
CREATE INDEX lead_identities_lead_idx ON lead_identities (tenant_id, lead_id);

-- Envelope encryption. Tenant keysets are encrypted under the master key, lead keysets under their tenant's
-- key. Deleting a lead_keys row is crypto-shredding: the lead's events stay in the journal, unreadable.
CREATE TABLE tenant_keys (
  tenant_id TEXT PRIMARY KEY,
  aead_keyset BYTEA NOT NULL,
  mac_keyset BYTEA NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE lead_keys (
  tenant_id TEXT NOT NULL,
  lead_id TEXT NOT NULL,
  keyset BYTEA NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, lead_id)
);

-- Whatever a webhook delivered that could not be routed: kept, listed for operators, never dropped. Meta's
-- retries of the same content are absorbed by the digest.
CREATE TABLE unrouted_webhooks (
  id BIGSERIAL PRIMARY KEY,
  payload_digest TEXT NOT NULL UNIQUE,
  source TEXT NOT NULL,
  reason TEXT NOT NULL,
  account_ref TEXT,
  payload JSONB NOT NULL,
  received_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX unrouted_webhooks_received_idx ON unrouted_webhooks (received_at DESC);

ALTER TABLE lead_identities SET (autovacuum_analyze_scale_factor = 0.02, autovacuum_analyze_threshold = 1000);
ALTER TABLE lead_keys SET (autovacuum_analyze_scale_factor = 0.02, autovacuum_analyze_threshold = 1000);
