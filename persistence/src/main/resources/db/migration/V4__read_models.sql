-- Read models owned by the lead projection. Personal data stays encrypted under the lead's key (the *_enc
-- columns): the API decrypts on the way out, so shredding a lead's key also blanks its read model.
CREATE TABLE leads (
  tenant_id TEXT NOT NULL,
  lead_id TEXT NOT NULL,
  channel TEXT NOT NULL,
  name_enc TEXT,
  phone_enc TEXT,
  phone_index TEXT,
  phone_valid BOOLEAN,
  wa_id_enc TEXT,
  bsuid_enc TEXT,
  first_inbound_at TIMESTAMPTZ,
  last_inbound_at TIMESTAMPTZ,
  inbound_count INTEGER NOT NULL DEFAULT 0,
  outbound_count INTEGER NOT NULL DEFAULT 0,
  last_status TEXT,
  last_status_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (tenant_id, lead_id)
);
CREATE INDEX leads_phone_idx ON leads (tenant_id, phone_index);
CREATE INDEX leads_last_inbound_idx ON leads (tenant_id, last_inbound_at DESC);

CREATE TABLE lead_messages (
  tenant_id TEXT NOT NULL,
  lead_id TEXT NOT NULL,
  platform_message_id TEXT NOT NULL,
  direction TEXT NOT NULL,
  channel TEXT NOT NULL,
  channel_account TEXT,
  type TEXT,
  text_enc TEXT,
  status TEXT,
  status_rank INTEGER NOT NULL DEFAULT 0,
  status_at TIMESTAMPTZ,
  sent_at TIMESTAMPTZ,
  received_at TIMESTAMPTZ,
  PRIMARY KEY (tenant_id, platform_message_id)
);
CREATE INDEX lead_messages_lead_idx ON lead_messages (tenant_id, lead_id, sent_at);

ALTER TABLE leads SET (autovacuum_analyze_scale_factor = 0.02, autovacuum_analyze_threshold = 1000);
ALTER TABLE lead_messages SET (autovacuum_analyze_scale_factor = 0.02, autovacuum_analyze_threshold = 1000);
