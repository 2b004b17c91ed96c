-- Whether a clinic requires a readiness record and a started infusion before a session is completed (issue 11 §5),
-- and the limits readiness is checked against as JSON (minFastingHours, maxSystolic, maxDiastolic, maxHeartRate,
-- minSpo2, rideHomeRequired); NULL for the documented defaults. Clinics made before this require readiness, as new
-- clinics do unless they say otherwise.
ALTER TABLE clinics ADD COLUMN readiness_required INTEGER NOT NULL DEFAULT 1;
ALTER TABLE clinics ADD COLUMN readiness_limits TEXT NULL;

-- What was recorded in the chair for one session, each part as the API answers it (JSON): the readiness check
-- before the infusion, the infusion's dose and any prescriber's override, and the discharge. This is patient data:
-- vitals, weight and notes. A part is NULL until it is recorded.
CREATE TABLE infusion_records (
    session_id  TEXT NOT NULL PRIMARY KEY REFERENCES sessions (id),
    clinic_id   TEXT NOT NULL REFERENCES clinics (id),
    patient_id  TEXT NOT NULL REFERENCES patients (id),
    readiness   TEXT NULL,
    infusion    TEXT NULL,
    discharge   TEXT NULL,
    updated_at  TEXT NOT NULL
) STRICT;
CREATE INDEX ix_infusion_records_patient ON infusion_records (clinic_id, patient_id);
