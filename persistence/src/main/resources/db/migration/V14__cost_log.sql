-- The cost log (PRODUCT §6, docs/decisions/0018-cost-log.md): what serving a tenant cost us, one row per
--   ai_call           a model call, written by the engine through the CostLog port (JdbcCostLog);
--   outbound_message  a message we sent, from the first delivery status carrying Meta's `pricing` object, written by
--                     the cost-log projection from the lead events;
--   external_call     a call to another service (Razorpay's orders.create), written through the CostLog port.
-- (tenant_id, kind, reference) is the idempotency key: the call's id, the WhatsApp message id (so the sent, delivered
-- and read statuses of one message, each carrying the same pricing, make one row) or our receipt number. Writers
-- insert with ON CONFLICT DO NOTHING, so a retry or a projection replay adds nothing.
--
-- Like token_ledger, the table is insert-only for everyone: what a call cost is a fact, never edited. Retention and
-- erasure leave it alone, as they leave token_ledger: its lead_id is an opaque id, and nothing here is personal
-- data (no phone numbers, no message text; `details` holds Meta's pricing object or a provider's error summary).
CREATE TABLE cost_log (
  tenant_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('ai_call', 'outbound_message', 'external_call')),
  reference TEXT NOT NULL,
  occurred_at TIMESTAMPTZ NOT NULL,
  recorded_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  -- ai_call: the rate-card operation it served; outbound_message: outbound-<channel>-message; external_call: the
  -- service's own name for the call (orders.create)
  operation TEXT NOT NULL,
  -- the channel when the writer knows it (outbound messages); the usage report falls back to the lead's channel
  channel TEXT,
  lead_id TEXT,
  -- ai_call: the model's vendor (openai); outbound_message: meta; external_call: the service (razorpay)
  provider TEXT NOT NULL,
  model TEXT,
  prompt_tokens INTEGER CHECK (prompt_tokens >= 0),
  completion_tokens INTEGER CHECK (completion_tokens >= 0),
  -- what the call cost in money, when the provider tells us; Meta's pricing object carries no price
  amount NUMERIC(20,8) CHECK (amount >= 0),
  currency TEXT CHECK (currency ~ '^[A-Z]{3}$'),
  -- Meta's pricing object, as sent: billable, pricing_model (CBP, PMP), category (marketing, utility, service...),
  -- type (regular, free_customer_service...)
  billable BOOLEAN,
  pricing_model TEXT,
  pricing_category TEXT,
  pricing_type TEXT,
  outcome TEXT CHECK (outcome IN ('ok', 'error')),
  latency_ms BIGINT CHECK (latency_ms >= 0),
  details JSONB NOT NULL DEFAULT '{}'::jsonb,
  PRIMARY KEY (tenant_id, kind, reference),
  CHECK ((amount IS NULL) = (currency IS NULL))
);
CREATE INDEX cost_log_occurred_idx ON cost_log (tenant_id, occurred_at);
ALTER TABLE cost_log SET (autovacuum_analyze_scale_factor = 0.02, autovacuum_analyze_threshold = 1000);

CREATE FUNCTION cost_log_reject_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'cost_log is insert-only: % is not allowed', TG_OP
    USING HINT = 'What a call cost is recorded once; record a new row instead of changing or removing one.';
END;
$$;

CREATE TRIGGER cost_log_no_update_or_delete
  BEFORE UPDATE OR DELETE ON cost_log
  FOR EACH ROW EXECUTE FUNCTION cost_log_reject_change();

-- TRUNCATE fires no row triggers, so it needs a statement trigger of its own.
CREATE TRIGGER cost_log_no_truncate
  BEFORE TRUNCATE ON cost_log
  FOR EACH STATEMENT EXECUTE FUNCTION cost_log_reject_change();

-- The API only reads it (the usage report); the engine's owner pool and the projections write it.
GRANT SELECT ON cost_log TO flexoraa_app;
ALTER TABLE cost_log ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON cost_log
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
