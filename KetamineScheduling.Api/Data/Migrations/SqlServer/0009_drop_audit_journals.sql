-- Numbered as on SQLite, where this script drops the audit journals' table. SQL Server never had one.
PRINT N'0009: nothing to change on SQL Server.';
