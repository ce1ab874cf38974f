-- The audit log (PRODUCT: append-only, one hash chain per tenant). Each row's hash covers its own columns and the
-- previous row's hash, so changing, removing or reordering a row breaks the chain at that row; AuditLog.verify
-- recomputes it. The triggers and grants below stop accidents and the application; a DBA who disables triggers can
-- still change rows, and that is what the chain is there to reveal.
CREATE TABLE audit_log (
  tenant_id TEXT NOT NULL,
  seq BIGINT NOT NULL CHECK (seq >= 1),
  at TIMESTAMPTZ NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  subject TEXT,
  -- Canonical JSON kept as text rather than jsonb, so the bytes that were hashed are exactly the bytes stored.
  details TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  PRIMARY KEY (tenant_id, seq)
);
CREATE INDEX audit_log_action_idx ON audit_log (tenant_id, action, at);
CREATE INDEX audit_log_subject_idx ON audit_log (tenant_id, subject);

CREATE FUNCTION audit_log_reject_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
    USING HINT = 'Record a correcting entry instead of changing or removing one.';
END;
$$;

CREATE TRIGGER audit_log_no_update_or_delete
  BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_reject_change();

-- TRUNCATE fires no row triggers, so it needs a statement trigger of its own.
CREATE TRIGGER audit_log_no_truncate
  BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_reject_change();

-- The API appends and reads; it is never granted UPDATE, DELETE or TRUNCATE.
GRANT SELECT, INSERT ON audit_log TO flexoraa_app;
ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON audit_log
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
