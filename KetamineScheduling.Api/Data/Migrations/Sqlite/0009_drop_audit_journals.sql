-- Audit events no longer wait in per-process journal files: a change's event commits in the change's own
-- transaction, and reads' events are written by one batching writer. The journals' positions go with them.
DROP TABLE IF EXISTS audit_journals;
