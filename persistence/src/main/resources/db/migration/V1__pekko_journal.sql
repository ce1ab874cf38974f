-- Journal and snapshot tables of pekko-persistence-jdbc (postgres flavour), owned here so Flyway holds the
-- whole schema. Indexes are created plainly: on an empty table CONCURRENTLY buys nothing and breaks transactions.
CREATE TABLE event_journal (
  ordering BIGSERIAL,
  persistence_id VARCHAR(255) NOT NULL,
  sequence_number BIGINT NOT NULL,
  deleted BOOLEAN DEFAULT FALSE NOT NULL,
  writer VARCHAR(255) NOT NULL,
  write_timestamp BIGINT,
  adapter_manifest VARCHAR(255),
  event_ser_id INTEGER NOT NULL,
  event_ser_manifest VARCHAR(255) NOT NULL,
  event_payload BYTEA NOT NULL,
  meta_ser_id INTEGER,
  meta_ser_manifest VARCHAR(255),
  meta_payload BYTEA,
  PRIMARY KEY (persistence_id, sequence_number)
);
CREATE UNIQUE INDEX event_journal_ordering_idx ON event_journal (ordering);

CREATE TABLE event_tag (
  event_id BIGINT,
  tag VARCHAR(256),
  PRIMARY KEY (event_id, tag),
  CONSTRAINT fk_event_journal FOREIGN KEY (event_id) REFERENCES event_journal (ordering) ON DELETE CASCADE
);
-- projections read by tag in ordering order; without this every poll scans the whole tag table
CREATE INDEX event_tag_tag_event_idx ON event_tag (tag, event_id);

CREATE TABLE snapshot (
  persistence_id VARCHAR(255) NOT NULL,
  sequence_number BIGINT NOT NULL,
  created BIGINT NOT NULL,
  snapshot_ser_id INTEGER NOT NULL,
  snapshot_ser_manifest VARCHAR(255) NOT NULL,
  snapshot_payload BYTEA NOT NULL,
  meta_ser_id INTEGER,
  meta_ser_manifest VARCHAR(255),
  meta_payload BYTEA,
  PRIMARY KEY (persistence_id, sequence_number)
);

-- The journal is append-only by design: events are never rewritten. Erasure works by destroying keys
-- (see lead_keys), never by editing history.
CREATE FUNCTION reject_journal_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'event_journal is append-only';
END $$;
CREATE TRIGGER event_journal_no_update BEFORE UPDATE ON event_journal
  FOR EACH ROW EXECUTE FUNCTION reject_journal_rewrite();

-- The journal grows from empty at thousands of rows a second; with PostgreSQL's default thresholds the planner
-- keeps "empty table" statistics for too long and picks plans for the projections' tag query that take seconds.
ALTER TABLE event_journal SET (autovacuum_analyze_scale_factor = 0.02, autovacuum_analyze_threshold = 1000,
                               autovacuum_vacuum_scale_factor = 0.05);
ALTER TABLE event_tag SET (autovacuum_analyze_scale_factor = 0.02, autovacuum_analyze_threshold = 1000,
                           autovacuum_vacuum_scale_factor = 0.05);
