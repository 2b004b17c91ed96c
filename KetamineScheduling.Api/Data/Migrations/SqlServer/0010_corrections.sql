-- Corrections (issue 14 §2-§3): clinics gain when check-in opens; chairs can be taken out of service; chairs and
-- patients carry a version for If-Match; a chair's name is unique in its clinic.

-- Minutes before a session's start from which it may be checked in (0 to 1440).
ALTER TABLE dbo.clinics ADD check_in_opens_minutes int NOT NULL CONSTRAINT df_clinics_check_in_opens_minutes DEFAULT 120;

-- A chair out of service (0) takes no new bookings; its existing sessions stay until the clinic moves them.
ALTER TABLE dbo.chairs ADD in_service bit NOT NULL CONSTRAINT df_chairs_in_service DEFAULT 1;
ALTER TABLE dbo.chairs ADD version int NOT NULL CONSTRAINT df_chairs_version DEFAULT 1;
ALTER TABLE dbo.patients ADD version int NOT NULL CONSTRAINT df_patients_version DEFAULT 1;

-- Older databases may hold two chairs of one name in a clinic, which the unique index below refuses. Every such
-- chair but the oldest is renamed by appending its place among them, " (2)", " (3)" and so on; a renamed chair
-- whose new name some other chair already has gets the start of its id as well, " (2) [0193a5b0]". Names compare
-- by the column's collation, as the index does. The new names are worked out before any is written.
SELECT id, name + N' (' + CAST(place AS nvarchar(10)) + N')' AS new_name
INTO #chair_renames
FROM (
    SELECT id, name, ROW_NUMBER() OVER (PARTITION BY clinic_id, name ORDER BY created_at, id) AS place
    FROM dbo.chairs
) AS ranked
WHERE place > 1;

UPDATE c SET name = r.new_name
FROM dbo.chairs AS c JOIN #chair_renames AS r ON r.id = c.id;

UPDATE c SET name = c.name + N' [' + LEFT(LOWER(CAST(c.id AS nvarchar(36))), 8) + N']'
FROM dbo.chairs AS c
WHERE c.id IN (SELECT id FROM #chair_renames)
  AND EXISTS (
    SELECT 1 FROM dbo.chairs AS other
    WHERE other.clinic_id = c.clinic_id AND other.name = c.name AND other.id NOT IN (SELECT id FROM #chair_renames));

DROP TABLE #chair_renames;

CREATE UNIQUE INDEX ux_chairs_clinic_name ON dbo.chairs (clinic_id, name);
