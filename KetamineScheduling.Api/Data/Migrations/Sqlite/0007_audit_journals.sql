-- Audit events wait in a journal file per process, beside the database, until they are moved here in large
-- transactions. Each journal's progress is committed with the events it moved, so that recovering a journal after
-- a crash moves every event in it once: never twice, never not at all.
CREATE TABLE audit_journals (
    journal_id TEXT    NOT NULL PRIMARY KEY,
    moved_upto INTEGER NOT NULL
) STRICT;
