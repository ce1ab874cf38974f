-- Human takeover (issue 8; docs/decisions/0035-inbox-and-takeover.md): who answers the lead, written by the agent
-- projection from HumanTookOver and HandedBackToAi. 'human' while a person holds the conversation (the AI stays
-- silent, analysis and scoring go on), 'ai' otherwise; the last hand-back is kept for the record.
ALTER TABLE lead_ai
  ADD COLUMN handled_by TEXT NOT NULL DEFAULT 'ai' CHECK (handled_by IN ('ai', 'human')),
  ADD COLUMN taken_over_by TEXT,
  ADD COLUMN taken_over_at TIMESTAMPTZ,
  ADD COLUMN handed_back_by TEXT,
  ADD COLUMN handed_back_at TIMESTAMPTZ;
