-- The leads board's filters (issue 8; docs/decisions/0036-board-and-queue.md): a tenant's leads by channel in the
-- board's order, and the AI's detected language. Band has lead_ai_band_idx, the assignee leads_assigned_idx, the
-- SLA and queue joins their (tenant, lead) keys and lead_assignments_lead_idx.
CREATE INDEX leads_channel_idx ON leads (tenant_id, channel, last_inbound_at DESC);
CREATE INDEX lead_ai_language_idx ON lead_ai (tenant_id, language);
