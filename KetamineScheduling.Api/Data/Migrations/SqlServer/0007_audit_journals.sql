-- Numbered as on SQLite, where this script created the audit journals' table (dropped again by 0009). SQL Server
-- never had audit journals, so there is nothing to do here.
PRINT N'0007: nothing to change on SQL Server.';
