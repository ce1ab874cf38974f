-- Routing, SLAs and leakage prevention (issue 7; docs/decisions/0030-routing-desk.md): the read side of the
-- tenants' routing desks, written by the routing projection from the RoutingDesk events (one transaction per group
-- with its offset). The desk entity is the truth; these tables are what the API, the keeper and reports read.

-- sdrs: the roster as the desk holds it.
CREATE TABLE sdrs (
  tenant_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  display_name TEXT,
  email TEXT,
  seniority TEXT NOT NULL CHECK (seniority IN ('junior', 'senior')),
  capacity INTEGER NOT NULL,
  working_hours JSONB NOT NULL,
  presence TEXT NOT NULL CHECK (presence IN ('online', 'away', 'offline')),
  skills TEXT[] NOT NULL DEFAULT '{}',
  languages TEXT[] NOT NULL DEFAULT '{}',
  updated_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (tenant_id, user_id)
);

-- lead_assignments: every assignment (current: ended_at IS NULL) with why it was made and how it ended.
CREATE TABLE lead_assignments (
  tenant_id TEXT NOT NULL,
  assignment_id TEXT NOT NULL,
  lead_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  previous_user_id TEXT,
  band TEXT NOT NULL,
  reason TEXT NOT NULL,
  actor TEXT,
  assigned_at TIMESTAMPTZ NOT NULL,
  ended_at TIMESTAMPTZ,
  end_reason TEXT,
  PRIMARY KEY (tenant_id, assignment_id)
);
CREATE INDEX lead_assignments_lead_idx ON lead_assignments (tenant_id, lead_id, assigned_at DESC);
CREATE INDEX lead_assignments_open_idx ON lead_assignments (tenant_id, user_id) WHERE ended_at IS NULL;

-- routing_queue: leads nobody could take, with their SLA clock.
CREATE TABLE routing_queue (
  tenant_id TEXT NOT NULL,
  lead_id TEXT NOT NULL,
  band TEXT NOT NULL,
  juniors_only BOOLEAN NOT NULL,
  reason TEXT NOT NULL,
  queued_at TIMESTAMPTZ NOT NULL,
  sla_due TIMESTAMPTZ NOT NULL,
  breached_at TIMESTAMPTZ,
  PRIMARY KEY (tenant_id, lead_id)
);

-- sla_records: one row per assignment: the first-response SLA and how it went.
CREATE TABLE sla_records (
  tenant_id TEXT NOT NULL,
  assignment_id TEXT NOT NULL,
  lead_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  band TEXT NOT NULL,
  assigned_at TIMESTAMPTZ NOT NULL,
  due_at TIMESTAMPTZ NOT NULL,
  responded_at TIMESTAMPTZ,
  first_response_ms BIGINT,
  breached_at TIMESTAMPTZ,
  PRIMARY KEY (tenant_id, assignment_id)
);
CREATE INDEX sla_records_assigned_idx ON sla_records (tenant_id, assigned_at);

-- routing_leakage: every leak detected and what was done about it.
CREATE TABLE routing_leakage (
  tenant_id TEXT NOT NULL,
  lead_id TEXT NOT NULL,
  at TIMESTAMPTZ NOT NULL,
  assignment_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  band TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('unanswered', 'unseen')),
  action TEXT NOT NULL,
  since TIMESTAMPTZ,
  PRIMARY KEY (tenant_id, lead_id, at, kind)
);

-- routing_deadlines: every running clock (sla, queue-sla, unanswered, unseen), for the keeper's range query: timers
-- die with their node, this does not.
CREATE TABLE routing_deadlines (
  tenant_id TEXT NOT NULL,
  lead_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  due_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (tenant_id, lead_id, kind)
);
CREATE INDEX routing_deadlines_due_idx ON routing_deadlines (due_at);

GRANT SELECT ON sdrs, lead_assignments, routing_queue, sla_records, routing_leakage, routing_deadlines TO flexoraa_app;
ALTER TABLE sdrs ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON sdrs
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
ALTER TABLE lead_assignments ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON lead_assignments
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
ALTER TABLE routing_queue ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON routing_queue
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
ALTER TABLE sla_records ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON sla_records
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
ALTER TABLE routing_leakage ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON routing_leakage
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
ALTER TABLE routing_deadlines ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON routing_deadlines
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
