-- Abuse protection (docs/decisions/0019-abuse-protection.md): why the customer screen kept an inbound message from
-- AI work (rapid-fire, daily-cap, repetition, gibberish), or NULL when its AI work may start.
ALTER TABLE lead_messages ADD COLUMN ai_screen TEXT;

CREATE INDEX lead_messages_screened_idx ON lead_messages (tenant_id, received_at) WHERE ai_screen IS NOT NULL;
