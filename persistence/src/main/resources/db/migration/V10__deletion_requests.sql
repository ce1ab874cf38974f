-- Erasure requests (GDPR / DPDP): filed by staff on the lead's behalf, approved or rejected by a manager. The row
-- is the evidence of the request and stays after the lead is anonymized; requested_by and reason must not hold the
-- lead's personal data (the API says so), they describe the channel and the verification done.
CREATE TABLE deletion_requests (
  tenant_id TEXT NOT NULL,
  request_id TEXT NOT NULL,
  lead_id TEXT NOT NULL,
  requested_by TEXT NOT NULL,
  reason TEXT,
  status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
  filed_by TEXT NOT NULL,
  filed_at TIMESTAMPTZ NOT NULL,
  decided_by TEXT,
  decided_at TIMESTAMPTZ,
  decision_note TEXT,
  PRIMARY KEY (tenant_id, request_id)
);
-- one open request per lead: a second filing while one is pending is a conflict, not a duplicate job
CREATE UNIQUE INDEX deletion_requests_one_pending_idx ON deletion_requests (tenant_id, lead_id) WHERE status = 'pending';
CREATE INDEX deletion_requests_filed_idx ON deletion_requests (tenant_id, filed_at DESC);

ALTER TABLE deletion_requests ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON deletion_requests
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
GRANT SELECT, INSERT, UPDATE ON deletion_requests TO flexoraa_app;

-- Leads are routed to one SDR (the routing issue fills this); an SDR sees only the leads assigned to them.
ALTER TABLE leads ADD COLUMN assigned_user_id TEXT;
CREATE INDEX leads_assigned_idx ON leads (tenant_id, assigned_user_id);

-- Retention (PRODUCT §10): when a lead's whole conversation is older than the retention period its key is shredded
-- and this is set; the row stays as an anonymous statistic.
ALTER TABLE leads ADD COLUMN conversation_expired_at TIMESTAMPTZ;
