-- The compliance gate's read side (PRODUCT §8, §12; docs/decisions/0022-compliance-gate.md), written by the
-- compliance projection from the channel-account events. Every row is keyed by the event's place in its account's
-- journal (channel, account_id, seq_nr), so a projection replay adds nothing.
--
-- compliance_decisions: one row per gate decision. A message may have several: a DEFER decided afresh when its time
-- comes, or an admission the portfolio's tier turned into a DEFER (messaging-tier) right after. recipient_key is a
-- blind index, never the plain id; no message text is kept.
CREATE TABLE compliance_decisions (
  tenant_id TEXT NOT NULL,
  channel TEXT NOT NULL,
  account_id TEXT NOT NULL,
  seq_nr BIGINT NOT NULL,
  message_id TEXT NOT NULL,
  lead_id TEXT,
  recipient_key TEXT,
  author TEXT,
  verdict TEXT NOT NULL CHECK (verdict IN ('send', 'template', 'defer', 'block')),
  rule TEXT,
  template_name TEXT,
  template_language TEXT,
  template_category TEXT,
  not_before TIMESTAMPTZ,
  messaging_type TEXT,
  tag TEXT,
  outside_window BOOLEAN NOT NULL,
  decided_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (tenant_id, channel, account_id, seq_nr)
);
CREATE INDEX compliance_decisions_at_idx ON compliance_decisions (tenant_id, decided_at DESC);
CREATE INDEX compliance_decisions_lead_idx ON compliance_decisions (tenant_id, lead_id, decided_at DESC);
CREATE INDEX compliance_decisions_rule_idx ON compliance_decisions (tenant_id, rule, decided_at DESC);
ALTER TABLE compliance_decisions SET (autovacuum_analyze_scale_factor = 0.02, autovacuum_analyze_threshold = 1000);

-- account_health_history: what Meta said about an account's quality and messaging limit, and its suspensions
-- (suspended, recovery checked, resumed, recovery abandoned).
CREATE TABLE account_health_history (
  tenant_id TEXT NOT NULL,
  channel TEXT NOT NULL,
  account_id TEXT NOT NULL,
  seq_nr BIGINT NOT NULL,
  at TIMESTAMPTZ NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('quality', 'suspended', 'recovery-checked', 'resumed', 'recovery-abandoned')),
  -- quality: Meta's event (FLAGGED, UPGRADE...), the rating before and after, the portfolio's limit (2147483647 = unlimited)
  event TEXT,
  previous_quality TEXT,
  quality TEXT,
  tier_limit INTEGER,
  -- suspension: why (or how it was lifted), what the probe said, the next check
  reason TEXT,
  health TEXT,
  next_check_at TIMESTAMPTZ,
  PRIMARY KEY (tenant_id, channel, account_id, seq_nr)
);
CREATE INDEX account_health_history_at_idx ON account_health_history (tenant_id, at DESC);

-- compliance_notifications: what the tenant's admins are told (suspension, recovery, recovery abandoned, RED quality,
-- an invalid access token), in the dashboard's words, like token_notifications. read_at is for the dashboard.
CREATE TABLE compliance_notifications (
  tenant_id TEXT NOT NULL,
  channel TEXT NOT NULL,
  account_id TEXT NOT NULL,
  seq_nr BIGINT NOT NULL,
  at TIMESTAMPTZ NOT NULL,
  kind TEXT NOT NULL,
  level TEXT NOT NULL CHECK (level IN ('info', 'warning', 'urgent', 'critical')),
  message TEXT NOT NULL,
  read_at TIMESTAMPTZ,
  PRIMARY KEY (tenant_id, channel, account_id, seq_nr)
);
CREATE INDEX compliance_notifications_at_idx ON compliance_notifications (tenant_id, at DESC);

GRANT SELECT ON compliance_decisions, account_health_history, compliance_notifications TO flexoraa_app;
ALTER TABLE compliance_decisions ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON compliance_decisions
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
ALTER TABLE account_health_history ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON account_health_history
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
ALTER TABLE compliance_notifications ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON compliance_notifications
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));

-- the summary's window states: each lead's last inbound message per channel
CREATE INDEX lead_messages_inbound_idx ON lead_messages (tenant_id, channel, lead_id, sent_at) WHERE direction = 'inbound';
