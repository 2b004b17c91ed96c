-- The ASP.NET Core Data Protection key ring, shared by every instance so that each can read what another
-- encrypted: one row per key or revocation, its XML as Data Protection wrote it (see DatabaseXmlRepository).
CREATE TABLE data_protection_keys (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    friendly_name  TEXT    NULL,
    xml            TEXT    NOT NULL
) STRICT;

-- Whether response_body is kept encrypted (the response of a route that returns a secret), so a replay decrypts it.
ALTER TABLE idempotency_records ADD COLUMN response_protected INTEGER NOT NULL DEFAULT 0;
