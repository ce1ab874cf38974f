-- Token top-ups bought through Razorpay (PRODUCT §6, docs/decisions/0016-razorpay-top-ups.md): one row per order
-- the engine created at Razorpay. The tokens themselves are credited by the Tenant entity (reference = Razorpay's
-- payment id, so a payment credits once); this table is what ties a payment back to its tenant and pack, and what
-- the API lists. Written by the engine's owner pool only (the webhook has no tenant until it finds the order here);
-- the API reads it under row-level security.
CREATE TABLE payment_orders (
  -- Razorpay's order id (order_...)
  order_id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  -- the pack's name: its token count ("500")
  pack TEXT NOT NULL,
  tokens NUMERIC(14,2) NOT NULL CHECK (tokens > 0),
  -- what Razorpay charges, in minor units of currency (cents)
  amount BIGINT NOT NULL CHECK (amount > 0),
  currency TEXT NOT NULL,
  -- our receipt number, sent to Razorpay with the order
  receipt TEXT NOT NULL UNIQUE,
  status TEXT NOT NULL CHECK (status IN ('created', 'paid')),
  -- the payment that paid the order; a payment pays one order
  payment_id TEXT UNIQUE,
  -- how we learnt of the payment first: the client's confirmation or Razorpay's webhook
  paid_via TEXT CHECK (paid_via IN ('confirmation', 'webhook')),
  created_by TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  paid_at TIMESTAMPTZ,
  CHECK ((status = 'paid') = (payment_id IS NOT NULL AND paid_at IS NOT NULL AND paid_via IS NOT NULL))
);
CREATE INDEX payment_orders_tenant_idx ON payment_orders (tenant_id, created_at DESC);

GRANT SELECT ON payment_orders TO flexoraa_app;
ALTER TABLE payment_orders ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON payment_orders
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
