-- Leads handed in by web forms, CRMs and CSV imports (lead-submitted.v1) and their verification (lead-verified.v1),
-- written by the lead projection.
--
-- lead_submissions: one row per submission, keyed by its idempotency key (submission_id), with its verification.
-- No personal data: the name, e-mail and message stay in the journal and in leads / lead_messages (encrypted).
CREATE TABLE lead_submissions (
  tenant_id TEXT NOT NULL,
  lead_id TEXT NOT NULL,
  submission_id TEXT NOT NULL,
  -- api | csv-import
  via TEXT NOT NULL,
  source TEXT,
  utm_source TEXT,
  utm_medium TEXT,
  utm_campaign TEXT,
  utm_term TEXT,
  utm_content TEXT,
  created_lead BOOLEAN NOT NULL,
  actor TEXT NOT NULL,
  submitted_at TIMESTAMPTZ NOT NULL,
  -- verified | skipped; NULL until recorded
  verification_status TEXT,
  verification_skipped_reason TEXT,
  phone_valid BOOLEAN,
  phone_mobile_capable BOOLEAN,
  duplicate_of TEXT,
  previously_erased BOOLEAN,
  fraud_score NUMERIC(3, 2),
  -- JSON array of signal names, e.g. ["invalid-number","burst"]
  fraud_signals TEXT,
  tokens_debited NUMERIC(14, 2),
  verified_at TIMESTAMPTZ,
  PRIMARY KEY (tenant_id, submission_id)
);
CREATE INDEX lead_submissions_lead_idx ON lead_submissions (tenant_id, lead_id, submitted_at);

GRANT SELECT ON lead_submissions TO flexoraa_app;
ALTER TABLE lead_submissions ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON lead_submissions
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));

-- On the lead: its e-mail (ciphertext under the lead's key, nulled by anonymization and retention like the other
-- *_enc columns), first-touch attribution (source and UTM of the first submission that had any), how many
-- submissions it had, and its latest verification.
ALTER TABLE leads
  ADD COLUMN email_enc TEXT,
  ADD COLUMN source TEXT,
  ADD COLUMN utm_source TEXT,
  ADD COLUMN utm_medium TEXT,
  ADD COLUMN utm_campaign TEXT,
  ADD COLUMN utm_term TEXT,
  ADD COLUMN utm_content TEXT,
  ADD COLUMN submission_count INTEGER NOT NULL DEFAULT 0,
  ADD COLUMN last_submitted_at TIMESTAMPTZ,
  ADD COLUMN verification_status TEXT,
  ADD COLUMN verification_skipped_reason TEXT,
  ADD COLUMN phone_mobile_capable BOOLEAN,
  ADD COLUMN duplicate_of TEXT,
  ADD COLUMN previously_erased BOOLEAN,
  ADD COLUMN fraud_score NUMERIC(3, 2),
  ADD COLUMN fraud_signals TEXT,
  ADD COLUMN verified_at TIMESTAMPTZ;
