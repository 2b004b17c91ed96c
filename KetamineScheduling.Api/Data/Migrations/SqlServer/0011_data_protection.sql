-- The ASP.NET Core Data Protection key ring, shared by every instance so that each can read what another
-- encrypted: one row per key or revocation, its XML as Data Protection wrote it (see DatabaseXmlRepository).
CREATE TABLE dbo.data_protection_keys (
    id             int            IDENTITY(1, 1) CONSTRAINT pk_data_protection_keys PRIMARY KEY,
    friendly_name  nvarchar(200)  NULL,
    xml            nvarchar(max)  NOT NULL
);

-- Whether response_body is kept encrypted (the response of a route that returns a secret), so a replay decrypts it.
ALTER TABLE dbo.idempotency_records ADD
    response_protected bit NOT NULL CONSTRAINT df_idempotency_records_response_protected DEFAULT 0;

-- A webhook secret is now stored encrypted, which is longer than the 50 characters of the secret itself.
ALTER TABLE dbo.webhooks ALTER COLUMN secret nvarchar(1000) NOT NULL;
