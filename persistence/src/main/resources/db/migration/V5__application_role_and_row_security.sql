-- The API's connections log in as a role that is a member of flexoraa_app: no BYPASSRLS, not the owner of any
-- table, so the row-level security policies below always apply to it. The owner (migrations, projections,
-- erasure and retention jobs) is not subject to them. Every tenant table created later grants flexoraa_app only
-- what the API needs and gets the same tenant_isolation policy.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'flexoraa_app') THEN
    CREATE ROLE flexoraa_app NOLOGIN NOBYPASSRLS;
  END IF;
END $$;

GRANT USAGE ON SCHEMA public TO flexoraa_app;

-- A connection without app.tenant_id set sees nothing: current_setting(..., true) is NULL (or '') then.
GRANT SELECT ON leads, lead_messages TO flexoraa_app;
ALTER TABLE leads ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON leads
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
ALTER TABLE lead_messages ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON lead_messages
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
