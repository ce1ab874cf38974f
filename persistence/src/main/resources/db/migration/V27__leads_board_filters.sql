-- The leads board's filters (issue 8; docs/decisions/0036-board-and-queue.md): a tenant's leads by channel in the
-- board's order, and the AI's detected language. Band has lead_ai_band_idx, the assignee leads_assigned_idx, the
-- SLA and queue joins their (tenant, lead) keys and lead_assignments_lead_idx.
CREATE INDEX leads_channel_idx ON leads (tenant_id, channel, last_inbound_at DESC);
CREATE INDEX lead_ai_language_idx ON lead_ai (tenant_id, language);

-- My queue shows the reminders still to go out for an appointment: the API reads them, within its tenant only.
GRANT SELECT ON appointment_deadlines TO flexoraa_app;
ALTER TABLE appointment_deadlines ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON appointment_deadlines
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
