-- Cold recovery (issue 7 part 6; docs/decisions/0031-cold-recovery.md), written by the recovery projection from the
-- ColdRecovery events. No message text is kept here.
--
-- cold_recoveries: one row per sequence (a lead has at most one per cooldown): its steps with the compliance gate's
-- decision, how it ended, and which step the lead answered.
CREATE TABLE cold_recoveries (
  tenant_id TEXT NOT NULL,
  lead_id TEXT NOT NULL,
  sequence INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('active', 'replied', 'lapsed', 'stopped')),
  started_at TIMESTAMPTZ NOT NULL,
  steps JSONB NOT NULL DEFAULT '[]',
  steps_sent INTEGER NOT NULL DEFAULT 0,
  steps_skipped INTEGER NOT NULL DEFAULT 0,
  replied_at TIMESTAMPTZ,
  replied_after_step TEXT,
  lapsed_at TIMESTAMPTZ,
  stopped_at TIMESTAMPTZ,
  stopped_reason TEXT,
  routed_at TIMESTAMPTZ,
  last_seq_nr BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, lead_id, sequence)
);
CREATE INDEX cold_recoveries_started_idx ON cold_recoveries (tenant_id, started_at);

-- recovery_deadlines: the next deadline of every sequence with one (a step, the lapse, routing after a lapse), so
-- each node's keeper wakes the sequences due by an indexed range query after a restart or a rebalance.
CREATE TABLE recovery_deadlines (
  tenant_id TEXT NOT NULL,
  lead_id TEXT NOT NULL,
  due_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (tenant_id, lead_id)
);
CREATE INDEX recovery_deadlines_due_idx ON recovery_deadlines (due_at);

GRANT SELECT ON cold_recoveries TO flexoraa_app;
ALTER TABLE cold_recoveries ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON cold_recoveries
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
