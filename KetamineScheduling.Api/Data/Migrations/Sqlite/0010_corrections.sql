-- Corrections (issue 14 §2-§3): clinics gain when check-in opens; chairs can be taken out of service; chairs and
-- patients carry a version for If-Match; a chair's name is unique in its clinic.

-- Minutes before a session's start from which it may be checked in (0 to 1440).
ALTER TABLE clinics ADD COLUMN check_in_opens_minutes INTEGER NOT NULL DEFAULT 120;

-- A chair out of service (0) takes no new bookings; its existing sessions stay until the clinic moves them.
ALTER TABLE chairs ADD COLUMN in_service INTEGER NOT NULL DEFAULT 1;
ALTER TABLE chairs ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE patients ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

-- Older databases may hold two chairs of one name in a clinic, which the unique index below refuses. Every such
-- chair but the oldest is renamed by appending its place among them, " (2)", " (3)" and so on; a renamed chair
-- whose new name some other chair already has gets the start of its id as well, " (2) [0193a5b0]". Names are
-- compared without regard to ASCII case, as SQL Server's default collation does. The new names are worked out
-- before any is written, so one rename cannot change another.
CREATE TEMP TABLE chair_renames AS
SELECT id, name || ' (' || place || ')' AS new_name
FROM (
    SELECT id, name, ROW_NUMBER() OVER (PARTITION BY clinic_id, name COLLATE NOCASE ORDER BY created_at, id) AS place
    FROM chairs
)
WHERE place > 1;

UPDATE chairs SET name = (SELECT new_name FROM chair_renames WHERE chair_renames.id = chairs.id)
WHERE id IN (SELECT id FROM chair_renames);

UPDATE chairs SET name = name || ' [' || substr(id, 1, 8) || ']'
WHERE id IN (SELECT id FROM chair_renames)
  AND EXISTS (
    SELECT 1 FROM chairs AS other
    WHERE other.clinic_id = chairs.clinic_id AND other.name = chairs.name COLLATE NOCASE AND other.id NOT IN (SELECT id FROM chair_renames));

DROP TABLE chair_renames;

CREATE UNIQUE INDEX ux_chairs_clinic_name ON chairs (clinic_id, name COLLATE NOCASE);
