-- Reservations (issue 12 §3): a short hold on a chair's and a patient's time while a person decides. A live
-- reservation claims its time in the same claim tables, under the same keys, as a session; so each claim now names
-- its holder, a session or a reservation, never both. A reservation stops blocking at expires_at: whichever
-- transaction next claims time clears the claims of reservations expired by then (see ReservationStore). A reservation
-- booked becomes the session of the same id, so a converted one needs no column naming its session.

CREATE TABLE reservations (
    id                   TEXT    NOT NULL PRIMARY KEY,
    clinic_id            TEXT    NOT NULL REFERENCES clinics (id),
    patient_id           TEXT    NOT NULL REFERENCES patients (id),
    chair_id             TEXT    NOT NULL REFERENCES chairs (id),
    plan_id              TEXT    NULL     REFERENCES treatment_plans (id),
    status               TEXT    NOT NULL,
    local_start          TEXT    NOT NULL,
    time_zone            TEXT    NOT NULL,
    start_utc            TEXT    NOT NULL,
    infusion_minutes     INTEGER NOT NULL,
    observation_minutes  INTEGER NOT NULL,
    turnover_minutes     INTEGER NOT NULL,
    expires_at           TEXT    NOT NULL,
    version              INTEGER NOT NULL,
    created_at           TEXT    NOT NULL,
    updated_at           TEXT    NOT NULL
) STRICT;
-- Finds a clinic's held reservations by expiry (the sweep) and by start (what availability must not offer).
CREATE INDEX ix_reservations_held ON reservations (clinic_id, status, expires_at);
CREATE INDEX ix_reservations_start ON reservations (clinic_id, local_start);

-- SQLite cannot change a column's nullability in place, so each claim table is built again with its holder columns.
CREATE TABLE chair_claims_new (
    chair_id        TEXT    NOT NULL REFERENCES chairs (id),
    slot            INTEGER NOT NULL,
    session_id      TEXT    NULL     REFERENCES sessions (id),
    reservation_id  TEXT    NULL     REFERENCES reservations (id),
    PRIMARY KEY (chair_id, slot),
    CHECK ((session_id IS NULL) <> (reservation_id IS NULL))
) STRICT;
INSERT INTO chair_claims_new (chair_id, slot, session_id) SELECT chair_id, slot, session_id FROM chair_claims;
DROP TABLE chair_claims;
ALTER TABLE chair_claims_new RENAME TO chair_claims;
CREATE INDEX ix_chair_claims_session ON chair_claims (session_id);
CREATE INDEX ix_chair_claims_reservation ON chair_claims (reservation_id);

CREATE TABLE patient_claims_new (
    patient_id      TEXT    NOT NULL REFERENCES patients (id),
    slot            INTEGER NOT NULL,
    session_id      TEXT    NULL     REFERENCES sessions (id),
    reservation_id  TEXT    NULL     REFERENCES reservations (id),
    PRIMARY KEY (patient_id, slot),
    CHECK ((session_id IS NULL) <> (reservation_id IS NULL))
) STRICT;
INSERT INTO patient_claims_new (patient_id, slot, session_id) SELECT patient_id, slot, session_id FROM patient_claims;
DROP TABLE patient_claims;
ALTER TABLE patient_claims_new RENAME TO patient_claims;
CREATE INDEX ix_patient_claims_session ON patient_claims (session_id);
CREATE INDEX ix_patient_claims_reservation ON patient_claims (reservation_id);

CREATE TABLE start_claims_new (
    clinic_id       TEXT    NOT NULL REFERENCES clinics (id),
    slot            INTEGER NOT NULL,
    ordinal         INTEGER NOT NULL,
    session_id      TEXT    NULL     REFERENCES sessions (id),
    reservation_id  TEXT    NULL     REFERENCES reservations (id),
    PRIMARY KEY (clinic_id, slot, ordinal),
    CHECK ((session_id IS NULL) <> (reservation_id IS NULL))
) STRICT;
INSERT INTO start_claims_new (clinic_id, slot, ordinal, session_id) SELECT clinic_id, slot, ordinal, session_id FROM start_claims;
DROP TABLE start_claims;
ALTER TABLE start_claims_new RENAME TO start_claims;
CREATE INDEX ix_start_claims_session ON start_claims (session_id);
CREATE INDEX ix_start_claims_reservation ON start_claims (reservation_id);
