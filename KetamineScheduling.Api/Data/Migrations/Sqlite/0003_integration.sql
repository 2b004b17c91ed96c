-- The ETag a change answered with, so that a replayed response carries it too.
ALTER TABLE idempotency_records ADD COLUMN response_etag TEXT NULL;
