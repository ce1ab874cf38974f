-- Appointments (issue 7 part 7). The SdrCalendar entity decides bookings; these are its read model.
-- btree_gist lets the exclusion constraint compare tenant and user with = next to the time ranges' &&: the last line
-- against a double-booking, should anything but the calendar entity ever write a booking.
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE appointments (
  tenant_id TEXT NOT NULL,
  appointment_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  lead_id TEXT NOT NULL,
  starts_at TIMESTAMPTZ NOT NULL,
  ends_at TIMESTAMPTZ NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('booked', 'cancelled')),
  sequence INTEGER NOT NULL,
  reason TEXT,
  actor TEXT,
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL,
  last_seq_nr BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, appointment_id),
  CONSTRAINT appointments_no_double_booking EXCLUDE USING gist (
    tenant_id WITH =, user_id WITH =, tstzrange(starts_at, ends_at) WITH &&) WHERE (status = 'booked')
);
CREATE INDEX appointments_user_idx ON appointments (tenant_id, user_id, starts_at);
CREATE INDEX appointments_lead_idx ON appointments (tenant_id, lead_id, starts_at);

-- pending deliveries (confirmation, reminders, follow-up, cancellation) by due time: the keeper's range query
CREATE TABLE appointment_deadlines (
  tenant_id TEXT NOT NULL,
  appointment_id TEXT NOT NULL,
  delivery_key TEXT NOT NULL,
  user_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  due_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (tenant_id, appointment_id, delivery_key)
);
CREATE INDEX appointment_deadlines_due_idx ON appointment_deadlines (due_at);

-- post-call follow-up tasks for the SDR
CREATE TABLE appointment_tasks (
  tenant_id TEXT NOT NULL,
  appointment_id TEXT NOT NULL,
  delivery_key TEXT NOT NULL,
  user_id TEXT NOT NULL,
  lead_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  due_at TIMESTAMPTZ NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (tenant_id, appointment_id, delivery_key)
);
CREATE INDEX appointment_tasks_user_idx ON appointment_tasks (tenant_id, user_id, created_at DESC);

-- the slots offered to a lead, as sent
CREATE TABLE appointment_offers (
  tenant_id TEXT NOT NULL,
  offer_id TEXT NOT NULL,
  lead_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  slots JSONB NOT NULL,
  booking_link TEXT,
  message_id TEXT,
  created_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (tenant_id, offer_id)
);
CREATE INDEX appointment_offers_lead_idx ON appointment_offers (tenant_id, lead_id, created_at DESC);

-- an SDR's connected calendar; the OAuth access token only encrypted (tenant key, context calendar:<user>)
CREATE TABLE sdr_calendars (
  tenant_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  provider TEXT NOT NULL CHECK (provider IN ('google')),
  calendar_id TEXT NOT NULL,
  access_token_enc TEXT NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (tenant_id, user_id)
);

GRANT SELECT ON appointments, appointment_tasks, appointment_offers TO flexoraa_app;
ALTER TABLE appointments ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON appointments
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
ALTER TABLE appointment_tasks ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON appointment_tasks
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
ALTER TABLE appointment_offers ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON appointment_offers
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
