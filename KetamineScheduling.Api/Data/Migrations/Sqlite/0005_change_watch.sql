-- Every request's catch-up round counts the revoked keys; only revoked keys are in this index, so that is quick.
CREATE INDEX ix_api_keys_revoked ON api_keys (revoked_at) WHERE revoked_at IS NOT NULL;
