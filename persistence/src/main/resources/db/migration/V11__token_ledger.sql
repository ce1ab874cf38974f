-- The token economy's read models (PRODUCT §6), written by the token-ledger projection from the tenant events
-- (docs/decisions/0013-token-debits-batched.md).
--
-- token_ledger: every credit and debit with the balance right after it. entry_id is the tenant's ledger position
-- (1 is the opening credit), so a tenant's rows number 1..n without gaps once the projection has caught up, and
-- the credits minus the debits of rows 1..k equal balance_after of row k. Amounts are exact (NUMERIC, 2 decimals).
-- Debits are recorded here and not in the audit log, one row each; like the audit log this table is insert-only,
-- for everyone: what a tenant was charged is never edited, a correction is a new credit.
CREATE TABLE token_ledger (
  tenant_id TEXT NOT NULL,
  entry_id BIGINT NOT NULL CHECK (entry_id >= 1),
  at TIMESTAMPTZ NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('debit', 'credit')),
  -- a debit's operation (rate-card name or the caller's), or a credit's kind: opening, grant, top-up, renewal
  operation TEXT NOT NULL,
  tokens NUMERIC(14,2) NOT NULL CHECK (tokens > 0),
  lead_id TEXT,
  reference TEXT,
  balance_after NUMERIC(14,2) NOT NULL CHECK (balance_after >= 0),
  actor TEXT,
  reason TEXT,
  PRIMARY KEY (tenant_id, entry_id)
);
CREATE INDEX token_ledger_at_idx ON token_ledger (tenant_id, at);
ALTER TABLE token_ledger SET (autovacuum_analyze_scale_factor = 0.02, autovacuum_analyze_threshold = 1000);

CREATE FUNCTION token_ledger_reject_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'token_ledger is insert-only: % is not allowed', TG_OP
    USING HINT = 'Record a correcting credit instead of changing or removing an entry.';
END;
$$;

CREATE TRIGGER token_ledger_no_update_or_delete
  BEFORE UPDATE OR DELETE ON token_ledger
  FOR EACH ROW EXECUTE FUNCTION token_ledger_reject_change();

CREATE TRIGGER token_ledger_no_truncate
  BEFORE TRUNCATE ON token_ledger
  FOR EACH STATEMENT EXECUTE FUNCTION token_ledger_reject_change();

-- token_notifications: what the dashboard shows the tenant about its tokens — the 50/80/100 % alerts, AI paused and
-- resumed. notification_id is the sequence number of the tenant event it comes from, so a replay adds nothing.
-- read_at is for the dashboard to set (a later issue); the API only reads.
CREATE TABLE token_notifications (
  tenant_id TEXT NOT NULL,
  notification_id BIGINT NOT NULL,
  at TIMESTAMPTZ NOT NULL,
  -- tokens.alert, tokens.ai-paused, tokens.ai-resumed
  kind TEXT NOT NULL,
  level TEXT NOT NULL CHECK (level IN ('info', 'warning', 'urgent', 'critical')),
  message TEXT NOT NULL,
  read_at TIMESTAMPTZ,
  PRIMARY KEY (tenant_id, notification_id)
);
CREATE INDEX token_notifications_at_idx ON token_notifications (tenant_id, at DESC);

GRANT SELECT ON token_ledger, token_notifications TO flexoraa_app;
ALTER TABLE token_ledger ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON token_ledger
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
ALTER TABLE token_notifications ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON token_notifications
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
