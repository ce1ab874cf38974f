-- Instagram and Messenger ingest, lead merges (docs/decisions/0020-instagram-messenger-ingest-and-merge.md).
-- igsid_enc / psid_enc: the lead's Instagram-scoped and page-scoped ids, ciphertext under the lead's key like the
-- other identifiers. merged_into: the lead this one was merged into (its messages now show in that lead's
-- conversation); the absorbed lead's row stays, so that its id still answers.
ALTER TABLE leads
  ADD COLUMN igsid_enc TEXT,
  ADD COLUMN psid_enc TEXT,
  ADD COLUMN merged_into TEXT,
  ADD COLUMN merged_at TIMESTAMPTZ;

-- key_lead_id: the lead whose key encrypts text_enc, when that is not lead_id (a message that moved to the survivor
-- of a merge keeps the absorbed lead's ciphertext; re-encrypting it would need the keys in the projection).
-- deleted_at: the person unsent the message (its text is blanked).
ALTER TABLE lead_messages
  ADD COLUMN key_lead_id TEXT,
  ADD COLUMN deleted_at TIMESTAMPTZ;

CREATE INDEX leads_merged_into_idx ON leads (tenant_id, merged_into) WHERE merged_into IS NOT NULL;
