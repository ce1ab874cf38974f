-- The tenant's AI profile (docs/decisions/0028-ai-profile-and-replies.md): business, products and prices, proof
-- points, tone, FAQ, competitors, reply templates per language, booking link. The only facts an AI reply may state.
-- One row per tenant, replaced whole by PUT /api/v1/tenants/{t}/ai-profile together with its audit entry; the
-- profile is JSONB because it is read and written whole and its shape grows with the product. updated_by is the
-- audit trail's actor (user:..., api-key:..., operator).
CREATE TABLE ai_profiles (
  tenant_id TEXT PRIMARY KEY,
  profile JSONB NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL,
  updated_by TEXT NOT NULL
);

-- The engine's owner pool writes it and the reply stage reads it; the API role reads its own tenant's only.
GRANT SELECT ON ai_profiles TO flexoraa_app;
ALTER TABLE ai_profiles ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON ai_profiles
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
