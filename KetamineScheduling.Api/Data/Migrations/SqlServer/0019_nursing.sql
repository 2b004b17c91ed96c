-- Nurse staffing (issue 13 §1): nurses' shifts, the nurse each session and reservation has, and the claims that let
-- the database itself hold the rule across instances, as it holds chairs. A session claims its nurse's set-up time
-- as one row per (nurse, slot), and one monitoring seat per (nurse, slot, seat 1..patients_per_nurse) from its
-- start to the end of observation: a second set-up in the same slot, or a patient more than the seats, breaks a
-- primary key. Off by default, so clinics that existed before book as they did.
ALTER TABLE dbo.clinics ADD nursing_enabled bit NOT NULL CONSTRAINT df_clinics_nursing_enabled DEFAULT 0;
ALTER TABLE dbo.clinics ADD patients_per_nurse int NOT NULL CONSTRAINT df_clinics_patients_per_nurse DEFAULT 4;
ALTER TABLE dbo.clinics ADD setup_minutes int NOT NULL CONSTRAINT df_clinics_setup_minutes DEFAULT 15;

ALTER TABLE dbo.sessions ADD nurse_id uniqueidentifier NULL CONSTRAINT fk_sessions_nurse REFERENCES dbo.staff (id);
ALTER TABLE dbo.reservations ADD nurse_id uniqueidentifier NULL CONSTRAINT fk_reservations_nurse REFERENCES dbo.staff (id);

-- starts and ends are the clinic's local times on shift_date; a shift does not run past midnight. A shift taken
-- away keeps its row with deleted_at, as the record of who was on duty.
CREATE TABLE dbo.nurse_shifts (
    id          uniqueidentifier NOT NULL CONSTRAINT pk_nurse_shifts PRIMARY KEY,
    clinic_id   uniqueidentifier NOT NULL CONSTRAINT fk_nurse_shifts_clinic REFERENCES dbo.clinics (id),
    staff_id    uniqueidentifier NOT NULL CONSTRAINT fk_nurse_shifts_staff REFERENCES dbo.staff (id),
    shift_date  date             NOT NULL,
    starts      time(0)          NOT NULL,
    ends        time(0)          NOT NULL,
    created_at  datetime2(3)     NOT NULL,
    deleted_at  datetime2(3)     NULL
);
CREATE INDEX ix_nurse_shifts_date ON dbo.nurse_shifts (clinic_id, shift_date, starts);
CREATE INDEX ix_nurse_shifts_staff ON dbo.nurse_shifts (staff_id, shift_date);

CREATE TABLE dbo.nurse_setup_claims (
    nurse_id        uniqueidentifier NOT NULL CONSTRAINT fk_nurse_setup_claims_nurse REFERENCES dbo.staff (id),
    slot            bigint           NOT NULL,
    session_id      uniqueidentifier NULL     CONSTRAINT fk_nurse_setup_claims_session REFERENCES dbo.sessions (id),
    reservation_id  uniqueidentifier NULL     CONSTRAINT fk_nurse_setup_claims_reservation REFERENCES dbo.reservations (id),
    CONSTRAINT pk_nurse_setup_claims PRIMARY KEY (nurse_id, slot),
    CONSTRAINT ck_nurse_setup_claims_holder
        CHECK ((session_id IS NULL AND reservation_id IS NOT NULL) OR (session_id IS NOT NULL AND reservation_id IS NULL))
);
CREATE INDEX ix_nurse_setup_claims_session ON dbo.nurse_setup_claims (session_id);
CREATE INDEX ix_nurse_setup_claims_reservation ON dbo.nurse_setup_claims (reservation_id);

CREATE TABLE dbo.nurse_seat_claims (
    nurse_id        uniqueidentifier NOT NULL CONSTRAINT fk_nurse_seat_claims_nurse REFERENCES dbo.staff (id),
    slot            bigint           NOT NULL,
    seat            int              NOT NULL CONSTRAINT ck_nurse_seat_claims_seat CHECK (seat BETWEEN 1 AND 8),
    session_id      uniqueidentifier NULL     CONSTRAINT fk_nurse_seat_claims_session REFERENCES dbo.sessions (id),
    reservation_id  uniqueidentifier NULL     CONSTRAINT fk_nurse_seat_claims_reservation REFERENCES dbo.reservations (id),
    CONSTRAINT pk_nurse_seat_claims PRIMARY KEY (nurse_id, slot, seat),
    CONSTRAINT ck_nurse_seat_claims_holder
        CHECK ((session_id IS NULL AND reservation_id IS NOT NULL) OR (session_id IS NOT NULL AND reservation_id IS NULL))
);
CREATE INDEX ix_nurse_seat_claims_session ON dbo.nurse_seat_claims (session_id);
CREATE INDEX ix_nurse_seat_claims_reservation ON dbo.nurse_seat_claims (reservation_id);
