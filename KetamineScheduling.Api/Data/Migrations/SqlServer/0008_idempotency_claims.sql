-- Numbered 0006 until the audit journal went: renumbered to match the SQLite script that makes the same change.
-- A claim belongs to the request that made it (claim_token), and records whether that request's change has
-- committed (change_committed, set in the change's own transaction). A claim left without an answer by a process
-- that died can then be told apart: taken over by a retry if nothing was changed, reported if something was.
ALTER TABLE dbo.idempotency_records ADD
    claim_token      uniqueidentifier NULL,
    change_committed bit              NOT NULL CONSTRAINT df_idempotency_records_change_committed DEFAULT 0;
