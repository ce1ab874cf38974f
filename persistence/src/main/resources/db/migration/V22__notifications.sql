-- In-app notifications (issue 7; docs/decisions/0029-notifications.md): one row per recipient of a Notifier.Notice.
-- The id orders a user's notifications and is the id of the live-stream event, so Last-Event-ID resumes from it.
-- UNIQUE (tenant_id, notice_id, user_id): a retried notice is stored (and pushed and mailed) once per recipient.
-- No lead PII here: title and body are written by the engine's own parts, data carries ids only.
CREATE TABLE notifications (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  notice_id TEXT NOT NULL,
  -- lead.assigned, sla.breached, leakage.detected, appointment.booked...
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  lead_id TEXT,
  data JSONB NOT NULL DEFAULT '{}',
  created_at TIMESTAMPTZ NOT NULL,
  -- when the triggering event happened: the push latency is measured from it
  event_at TIMESTAMPTZ NOT NULL,
  read_at TIMESTAMPTZ,
  -- the e-mail's outcome: sent (emailed_at) or why not (email_error); both NULL when none was asked or it is on its way
  email_wanted BOOLEAN NOT NULL DEFAULT false,
  emailed_at TIMESTAMPTZ,
  email_error TEXT,
  UNIQUE (tenant_id, notice_id, user_id)
);
-- a user's list, newest first, and the unread filter; paging by id
CREATE INDEX notifications_user_idx ON notifications (tenant_id, user_id, id DESC);
CREATE INDEX notifications_unread_idx ON notifications (tenant_id, user_id, id DESC) WHERE read_at IS NULL;

-- The API stores, lists and marks read on its own connections, under row-level security.
GRANT SELECT, INSERT, UPDATE ON notifications TO flexoraa_app;
GRANT USAGE ON SEQUENCE notifications_id_seq TO flexoraa_app;
ALTER TABLE notifications ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON notifications
  USING (tenant_id = current_setting('app.tenant_id', true))
  WITH CHECK (tenant_id = current_setting('app.tenant_id', true));
