-- Every read of a patient's data appends an audit row, tens of thousands a second under load. An index led by
-- the patient puts each row in a different place of the index, and on SQLite every commit rewrites each index
-- page it touched: this one index cost more than everything else a cached read does. The clinic's index, which
-- grows at its end, stays; a query for one patient reads the clinic's rows in its time range.
DROP INDEX IF EXISTS ix_audit_events_patient;
