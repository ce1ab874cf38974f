-- The access token Meta issued for each channel account (docs/decisions/0021-graph-api-sender.md): the sender's
-- Bearer token for Graph API calls on behalf of that phone number, Page or Instagram account.
--   token_enc  the token encrypted with the tenant's AEAD key (envelope encryption, as the leads' keys), with
--              associated data naming tenant, channel and account: a value copied to another row does not decrypt.
-- One row per account; the foreign key keeps a token from outliving (or preceding) its account's registration, and
-- the writer checks that the account belongs to the tenant in the same statement.
CREATE TABLE channel_credentials (
  channel TEXT NOT NULL,
  external_id TEXT NOT NULL,
  tenant_id TEXT NOT NULL,
  token_enc TEXT NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (channel, external_id),
  FOREIGN KEY (channel, external_id) REFERENCES channel_accounts (channel, external_id) ON DELETE CASCADE
);
CREATE INDEX channel_credentials_tenant_idx ON channel_credentials (tenant_id);

-- The engine's owner pool writes and reads tokens. The API role may see which accounts have a token and since when,
-- for its own tenant only, and never the ciphertext itself: the grant leaves token_enc out.
GRANT SELECT (channel, external_id, tenant_id, updated_at) ON channel_credentials TO flexoraa_app;
ALTER TABLE channel_credentials ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON channel_credentials
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
