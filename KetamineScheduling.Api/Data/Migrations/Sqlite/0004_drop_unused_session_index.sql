-- No query reads sessions by chair and start; the index only slowed every booking down.
DROP INDEX IF EXISTS ix_sessions_chair;
