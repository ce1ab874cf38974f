-- The lead agent's read side (issue 6; docs/decisions/0024-the-lead-agent.md), written by the agent projection from
-- the LeadAgent events. Rows are keyed by the event's place in its agent's journal (seq_nr) or by ids the events
-- carry, so a projection replay adds nothing. No message text is kept here: budget wording stays encrypted.
--
-- lead_ai: one row per lead: what the AI knows, its score, the interview and escalation.
CREATE TABLE lead_ai (
  tenant_id TEXT NOT NULL,
  lead_id TEXT NOT NULL,
  score INTEGER,
  band TEXT CHECK (band IN ('HOT', 'WARM', 'COLD')),
  top_factors JSONB,
  score_reason TEXT,
  scored_at TIMESTAMPTZ,
  language TEXT,
  hinglish BOOLEAN,
  intent TEXT,
  category TEXT,
  tone TEXT,
  budget_bucket TEXT,
  budget_usd BIGINT,
  timeline TEXT,
  authority TEXT,
  objections TEXT[] NOT NULL DEFAULT '{}',
  buying_signals TEXT[] NOT NULL DEFAULT '{}',
  qualification_status TEXT,
  questions_asked INTEGER NOT NULL DEFAULT 0,
  slots JSONB,
  escalated BOOLEAN NOT NULL DEFAULT false,
  escalate_reasons TEXT[] NOT NULL DEFAULT '{}',
  escalated_at TIMESTAMPTZ,
  analyzed INTEGER NOT NULL DEFAULT 0,
  skipped INTEGER NOT NULL DEFAULT 0,
  replies INTEGER NOT NULL DEFAULT 0,
  last_seq_nr BIGINT NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (tenant_id, lead_id)
);
CREATE INDEX lead_ai_band_idx ON lead_ai (tenant_id, band, score DESC);

-- lead_score_history: every score the lead had, with its top-3 factors and one-line reason.
CREATE TABLE lead_score_history (
  tenant_id TEXT NOT NULL,
  lead_id TEXT NOT NULL,
  seq_nr BIGINT NOT NULL,
  score INTEGER NOT NULL,
  band TEXT NOT NULL,
  previous_band TEXT,
  top_factors JSONB NOT NULL,
  reason TEXT NOT NULL,
  message_id TEXT,
  at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (tenant_id, lead_id, seq_nr)
);

-- ai_message_analyses: what the AI understood of each message (the analysis as JSON, spelled as the analysis API).
CREATE TABLE ai_message_analyses (
  tenant_id TEXT NOT NULL,
  lead_id TEXT NOT NULL,
  message_id TEXT NOT NULL,
  seq_nr BIGINT NOT NULL,
  channel TEXT,
  analysis JSONB NOT NULL,
  provider TEXT NOT NULL,
  model TEXT,
  latency_ms BIGINT NOT NULL,
  at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (tenant_id, lead_id, message_id)
);

-- ai_replies: every reply the AI wrote, how the compliance gate decided on it and how long it took.
CREATE TABLE ai_replies (
  tenant_id TEXT NOT NULL,
  reply_id TEXT NOT NULL,
  lead_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  slot TEXT,
  band TEXT,
  channel TEXT,
  language TEXT,
  source TEXT,
  provider TEXT,
  model TEXT,
  strategy TEXT,
  ledger_entry_id BIGINT,
  decision TEXT,
  rule TEXT,
  outcome TEXT,
  failure TEXT,
  latency_ms BIGINT,
  composed_at TIMESTAMPTZ,
  handed_at TIMESTAMPTZ,
  PRIMARY KEY (tenant_id, reply_id)
);
CREATE INDEX ai_replies_lead_idx ON ai_replies (tenant_id, lead_id, composed_at);

-- ai_review_tasks: high-risk messages a person must review (PRODUCT §5); the AI does not answer them.
CREATE TABLE ai_review_tasks (
  tenant_id TEXT NOT NULL,
  task_id TEXT NOT NULL,
  lead_id TEXT NOT NULL,
  message_id TEXT NOT NULL,
  types TEXT[] NOT NULL,
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
  created_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (tenant_id, task_id)
);
CREATE INDEX ai_review_tasks_open_idx ON ai_review_tasks (tenant_id, status, created_at);

-- ai_notifications: what SDRs, managers and auditors are told (escalations, review tasks).
CREATE TABLE ai_notifications (
  tenant_id TEXT NOT NULL,
  lead_id TEXT NOT NULL,
  seq_nr BIGINT NOT NULL,
  at TIMESTAMPTZ NOT NULL,
  -- ai.escalated, ai.review-needed
  kind TEXT NOT NULL,
  level TEXT NOT NULL CHECK (level IN ('info', 'warning', 'urgent', 'critical')),
  -- who it is for: sdr, auditor
  audience TEXT[] NOT NULL,
  message TEXT NOT NULL,
  PRIMARY KEY (tenant_id, lead_id, seq_nr)
);
CREATE INDEX ai_notifications_at_idx ON ai_notifications (tenant_id, at DESC);

GRANT SELECT ON lead_ai, lead_score_history, ai_message_analyses, ai_replies, ai_review_tasks, ai_notifications
  TO flexoraa_app;
ALTER TABLE lead_ai ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON lead_ai
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
ALTER TABLE lead_score_history ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON lead_score_history
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
ALTER TABLE ai_message_analyses ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ai_message_analyses
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
ALTER TABLE ai_replies ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ai_replies
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
ALTER TABLE ai_review_tasks ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ai_review_tasks
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
ALTER TABLE ai_notifications ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ai_notifications
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
