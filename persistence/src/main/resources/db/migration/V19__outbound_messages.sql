-- Outbound messages (docs/decisions/0023-outbound-flow.md). The conversation shows our own messages too: the row is
-- keyed by our message id until Meta accepts it, then by Meta's id (wamid / mid), which its statuses carry.
ALTER TABLE lead_messages ADD COLUMN message_id TEXT;
ALTER TABLE lead_messages ADD COLUMN author TEXT;
ALTER TABLE lead_messages ADD COLUMN decision TEXT;
ALTER TABLE lead_messages ADD COLUMN decision_rule TEXT;
ALTER TABLE lead_messages ADD COLUMN not_before TIMESTAMPTZ;
ALTER TABLE lead_messages ADD COLUMN outcome TEXT;
CREATE INDEX lead_messages_message_id_idx ON lead_messages (tenant_id, message_id) WHERE message_id IS NOT NULL;

-- Messages the compliance gate deferred (throughput, pair rate, tier, suspension): sent again when not_before comes.
-- Written by the engine's owner pool and claimed by every node's dispatcher with SKIP LOCKED, so a message is
-- claimed by one node at a time; a claim that is not finished (the node died) expires and the message is claimed
-- again. The message itself (its text, encrypted) stays in the lead's journal; this row only says when to retry.
CREATE TABLE outbound_queue (
  tenant_id TEXT NOT NULL,
  message_id TEXT NOT NULL,
  lead_id TEXT NOT NULL,
  not_before TIMESTAMPTZ NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  claimed_until TIMESTAMPTZ,
  queued_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (tenant_id, message_id)
);
CREATE INDEX outbound_queue_due_idx ON outbound_queue (not_before);
ALTER TABLE outbound_queue ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON outbound_queue
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
