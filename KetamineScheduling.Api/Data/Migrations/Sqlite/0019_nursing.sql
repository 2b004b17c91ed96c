-- Nurse staffing (issue 13 §1): nurses' shifts, the nurse each session and reservation has, and the claims that let
-- the database itself hold the rule across instances, as it holds chairs. A session claims its nurse's set-up time
-- as one row per (nurse, slot), and one monitoring seat per (nurse, slot, seat 1..patients_per_nurse) from its
-- start to the end of observation: a second set-up in the same slot, or a patient more than the seats, breaks a
-- primary key. Off by default, so clinics that existed before book as they did.
ALTER TABLE clinics ADD COLUMN nursing_enabled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE clinics ADD COLUMN patients_per_nurse INTEGER NOT NULL DEFAULT 4;
ALTER TABLE clinics ADD COLUMN setup_minutes INTEGER NOT NULL DEFAULT 15;

ALTER TABLE sessions ADD COLUMN nurse_id TEXT NULL REFERENCES staff (id);
ALTER TABLE reservations ADD COLUMN nurse_id TEXT NULL REFERENCES staff (id);

-- starts and ends are the clinic's local times on shift_date; a shift does not run past midnight. A shift taken
-- away keeps its row with deleted_at, as the record of who was on duty.
CREATE TABLE nurse_shifts (
    id          TEXT NOT NULL PRIMARY KEY,
    clinic_id   TEXT NOT NULL REFERENCES clinics (id),
    staff_id    TEXT NOT NULL REFERENCES staff (id),
    shift_date  TEXT NOT NULL,
    starts      TEXT NOT NULL,
    ends        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    deleted_at  TEXT NULL
) STRICT;
CREATE INDEX ix_nurse_shifts_date ON nurse_shifts (clinic_id, shift_date, starts);
CREATE INDEX ix_nurse_shifts_staff ON nurse_shifts (staff_id, shift_date);

CREATE TABLE nurse_setup_claims (
    nurse_id        TEXT    NOT NULL REFERENCES staff (id),
    slot            INTEGER NOT NULL,
    session_id      TEXT    NULL     REFERENCES sessions (id),
    reservation_id  TEXT    NULL     REFERENCES reservations (id),
    PRIMARY KEY (nurse_id, slot),
    CHECK ((session_id IS NULL) <> (reservation_id IS NULL))
) STRICT;
CREATE INDEX ix_nurse_setup_claims_session ON nurse_setup_claims (session_id);
CREATE INDEX ix_nurse_setup_claims_reservation ON nurse_setup_claims (reservation_id);

CREATE TABLE nurse_seat_claims (
    nurse_id        TEXT    NOT NULL REFERENCES staff (id),
    slot            INTEGER NOT NULL,
    seat            INTEGER NOT NULL CHECK (seat BETWEEN 1 AND 8),
    session_id      TEXT    NULL     REFERENCES sessions (id),
    reservation_id  TEXT    NULL     REFERENCES reservations (id),
    PRIMARY KEY (nurse_id, slot, seat),
    CHECK ((session_id IS NULL) <> (reservation_id IS NULL))
) STRICT;
CREATE INDEX ix_nurse_seat_claims_session ON nurse_seat_claims (session_id);
CREATE INDEX ix_nurse_seat_claims_reservation ON nurse_seat_claims (reservation_id);
