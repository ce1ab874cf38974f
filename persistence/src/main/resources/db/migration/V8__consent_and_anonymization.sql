-- Consent evidence (PRODUCT §10): every consent a lead gave or withdrew, per channel and purpose, with its source,
-- IP and user agent (ciphertext under the lead's key), kept for audits. Written by the lead projection from
-- consent-recorded.v1; the record id is the idempotency key.
CREATE TABLE consent_records (
  tenant_id TEXT NOT NULL,
  lead_id TEXT NOT NULL,
  record_id TEXT NOT NULL,
  channel TEXT NOT NULL,
  purpose TEXT NOT NULL,
  granted BOOLEAN NOT NULL,
  source TEXT NOT NULL,
  ip_enc TEXT,
  user_agent_enc TEXT,
  actor TEXT NOT NULL,
  given_at TIMESTAMPTZ NOT NULL,
  recorded_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (tenant_id, record_id)
);
CREATE INDEX consent_records_lead_idx ON consent_records (tenant_id, lead_id, recorded_at);

-- Blind indexes (keyed HMACs: salted hashes, never clear text) of anonymized leads' identifiers, moved here from
-- lead_identities so that the person's next message starts a fresh lead while a returning or duplicate person can
-- still be recognised as previously erased. Internal: the API never reads it.
CREATE TABLE erased_identifiers (
  tenant_id TEXT NOT NULL,
  identifier_index TEXT NOT NULL,
  kind TEXT NOT NULL,
  lead_id TEXT NOT NULL,
  erased_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (tenant_id, identifier_index, lead_id)
);

-- anonymized_at: the lead was anonymized (its personal columns are null from then on and stay null);
-- pii_masked_at: when its personal data was masked in the read models; phone_masked: a display mask such as
-- +91******3210, filled in by retention, not by the projection.
ALTER TABLE leads
  ADD COLUMN anonymized_at TIMESTAMPTZ,
  ADD COLUMN pii_masked_at TIMESTAMPTZ,
  ADD COLUMN phone_masked TEXT;

GRANT SELECT ON consent_records TO flexoraa_app;
ALTER TABLE consent_records ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON consent_records
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));

-- no grant to flexoraa_app; the policy is there so that a grant added by mistake still cannot cross tenants
ALTER TABLE erased_identifiers ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON erased_identifiers
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
