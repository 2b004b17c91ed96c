-- A claim belongs to the request that made it (claim_token), and records whether that request's change has
-- committed (change_committed, set in the change's own transaction). A claim left without an answer by a process
-- that died can then be told apart: taken over by a retry if nothing was changed, reported if something was.
ALTER TABLE idempotency_records ADD COLUMN claim_token TEXT NULL;
ALTER TABLE idempotency_records ADD COLUMN change_committed INTEGER NOT NULL DEFAULT 0;
