-- A key id is whatever authentication names the caller's key by, and empty while the API has no authentication,
-- so it is text like clinic_id. The primary key must be dropped while its column changes type.
ALTER TABLE dbo.idempotency_records DROP CONSTRAINT pk_idempotency_records;
ALTER TABLE dbo.idempotency_records ALTER COLUMN key_id nvarchar(64) NOT NULL;
ALTER TABLE dbo.idempotency_records ADD CONSTRAINT pk_idempotency_records PRIMARY KEY (clinic_id, key_id, idempotency_key);

-- The ETag a change answered with, so that a replayed response carries it too.
ALTER TABLE dbo.idempotency_records ADD response_etag nvarchar(100) NULL;
