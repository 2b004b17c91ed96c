-- Reservations (issue 12 §3): a short hold on a chair's and a patient's time while a person decides. A live
-- reservation claims its time in the same claim tables, under the same keys, as a session; so each claim now names
-- its holder, a session or a reservation, never both. A reservation stops blocking at expires_at: whichever
-- transaction next claims time clears the claims of reservations expired by then (see ReservationStore). A reservation
-- booked becomes the session of the same id, so a converted one needs no column naming its session.

CREATE TABLE dbo.reservations (
    id                   uniqueidentifier NOT NULL CONSTRAINT pk_reservations PRIMARY KEY,
    clinic_id            uniqueidentifier NOT NULL CONSTRAINT fk_reservations_clinic REFERENCES dbo.clinics (id),
    patient_id           uniqueidentifier NOT NULL CONSTRAINT fk_reservations_patient REFERENCES dbo.patients (id),
    chair_id             uniqueidentifier NOT NULL CONSTRAINT fk_reservations_chair REFERENCES dbo.chairs (id),
    plan_id              uniqueidentifier NULL     CONSTRAINT fk_reservations_plan REFERENCES dbo.treatment_plans (id),
    status               nvarchar(20)     NOT NULL,
    local_start          datetime2(0)     NOT NULL,
    time_zone            nvarchar(64)     NOT NULL,
    start_utc            datetime2(3)     NOT NULL,
    infusion_minutes     int              NOT NULL,
    observation_minutes  int              NOT NULL,
    turnover_minutes     int              NOT NULL,
    expires_at           datetime2(3)     NOT NULL,
    version              int              NOT NULL,
    created_at           datetime2(3)     NOT NULL,
    updated_at           datetime2(3)     NOT NULL
);
-- Finds a clinic's held reservations by expiry (the sweep) and by start (what availability must not offer).
CREATE INDEX ix_reservations_held ON dbo.reservations (clinic_id, status, expires_at);
CREATE INDEX ix_reservations_start ON dbo.reservations (clinic_id, local_start);

-- A column in an index or a foreign key cannot change its nullability, so each claim table's session_id loses
-- both, becomes nullable and gets them back; then the claim table gains its reservation holder.
DROP INDEX ix_chair_claims_session ON dbo.chair_claims;
ALTER TABLE dbo.chair_claims DROP CONSTRAINT fk_chair_claims_session;
ALTER TABLE dbo.chair_claims ALTER COLUMN session_id uniqueidentifier NULL;
ALTER TABLE dbo.chair_claims ADD CONSTRAINT fk_chair_claims_session FOREIGN KEY (session_id) REFERENCES dbo.sessions (id);
ALTER TABLE dbo.chair_claims ADD reservation_id uniqueidentifier NULL CONSTRAINT fk_chair_claims_reservation REFERENCES dbo.reservations (id);
ALTER TABLE dbo.chair_claims ADD CONSTRAINT ck_chair_claims_holder
    CHECK ((session_id IS NULL AND reservation_id IS NOT NULL) OR (session_id IS NOT NULL AND reservation_id IS NULL));
CREATE INDEX ix_chair_claims_session ON dbo.chair_claims (session_id);
CREATE INDEX ix_chair_claims_reservation ON dbo.chair_claims (reservation_id);

DROP INDEX ix_patient_claims_session ON dbo.patient_claims;
ALTER TABLE dbo.patient_claims DROP CONSTRAINT fk_patient_claims_session;
ALTER TABLE dbo.patient_claims ALTER COLUMN session_id uniqueidentifier NULL;
ALTER TABLE dbo.patient_claims ADD CONSTRAINT fk_patient_claims_session FOREIGN KEY (session_id) REFERENCES dbo.sessions (id);
ALTER TABLE dbo.patient_claims ADD reservation_id uniqueidentifier NULL CONSTRAINT fk_patient_claims_reservation REFERENCES dbo.reservations (id);
ALTER TABLE dbo.patient_claims ADD CONSTRAINT ck_patient_claims_holder
    CHECK ((session_id IS NULL AND reservation_id IS NOT NULL) OR (session_id IS NOT NULL AND reservation_id IS NULL));
CREATE INDEX ix_patient_claims_session ON dbo.patient_claims (session_id);
CREATE INDEX ix_patient_claims_reservation ON dbo.patient_claims (reservation_id);

DROP INDEX ix_start_claims_session ON dbo.start_claims;
ALTER TABLE dbo.start_claims DROP CONSTRAINT fk_start_claims_session;
ALTER TABLE dbo.start_claims ALTER COLUMN session_id uniqueidentifier NULL;
ALTER TABLE dbo.start_claims ADD CONSTRAINT fk_start_claims_session FOREIGN KEY (session_id) REFERENCES dbo.sessions (id);
ALTER TABLE dbo.start_claims ADD reservation_id uniqueidentifier NULL CONSTRAINT fk_start_claims_reservation REFERENCES dbo.reservations (id);
ALTER TABLE dbo.start_claims ADD CONSTRAINT ck_start_claims_holder
    CHECK ((session_id IS NULL AND reservation_id IS NOT NULL) OR (session_id IS NOT NULL AND reservation_id IS NULL));
CREATE INDEX ix_start_claims_session ON dbo.start_claims (session_id);
CREATE INDEX ix_start_claims_reservation ON dbo.start_claims (reservation_id);
