-- Every request's catch-up round counts the revoked keys; only revoked keys are in this index, so that is quick.
CREATE INDEX ix_api_keys_revoked ON dbo.api_keys (revoked_at) WHERE revoked_at IS NOT NULL;

-- ... and reads the events after a position, of every clinic.
CREATE INDEX ix_events_commit_order ON dbo.events (position) INCLUDE (patient_id);
