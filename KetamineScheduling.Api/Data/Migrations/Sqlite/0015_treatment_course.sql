-- The clinic's staff: prescribers and nurses. kinds is the comma-separated list of wire codes (prescriber, nurse).
CREATE TABLE staff (
    id              TEXT    NOT NULL PRIMARY KEY,
    clinic_id       TEXT    NOT NULL REFERENCES clinics (id),
    name            TEXT    NOT NULL,
    kinds           TEXT    NOT NULL,
    npi             TEXT    NULL,
    licence_number  TEXT    NULL,
    active          INTEGER NOT NULL,
    version         INTEGER NOT NULL,
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL
) STRICT;
CREATE INDEX ix_staff_clinic ON staff (clinic_id, id);

-- The member of staff a clinician key acts for; null for other keys.
ALTER TABLE api_keys ADD COLUMN staff_id TEXT NULL;

-- Whether a plan needs an approved intake before it is booked. Clinics made from now on get true unless they say
-- otherwise (the API's default); clinics that existed before keep booking as they did.
ALTER TABLE clinics ADD COLUMN intake_required INTEGER NOT NULL DEFAULT 0;

-- The clinic's own course thresholds, each null for the documented default.
ALTER TABLE clinics ADD COLUMN course_response_percent INTEGER NULL;
ALTER TABLE clinics ADD COLUMN course_partial_response_percent INTEGER NULL;
ALTER TABLE clinics ADD COLUMN course_remission_max_total INTEGER NULL;
ALTER TABLE clinics ADD COLUMN course_booster_rise_points INTEGER NULL;

-- What the plan treats, who prescribes it and the measure its course follows (wire codes).
ALTER TABLE treatment_plans ADD COLUMN indication_condition TEXT NULL;
ALTER TABLE treatment_plans ADD COLUMN indication_icd10 TEXT NULL;
ALTER TABLE treatment_plans ADD COLUMN indication_note TEXT NULL;
ALTER TABLE treatment_plans ADD COLUMN prescriber_id TEXT NULL;
ALTER TABLE treatment_plans ADD COLUMN primary_measure TEXT NULL;

-- The intake decision on a plan, replaced by a later one; null until one is made. intake_contraindications are
-- comma-separated wire codes.
ALTER TABLE treatment_plans ADD COLUMN intake_decision TEXT NULL;
ALTER TABLE treatment_plans ADD COLUMN intake_prescriber_id TEXT NULL;
ALTER TABLE treatment_plans ADD COLUMN intake_history_reviewed INTEGER NULL;
ALTER TABLE treatment_plans ADD COLUMN intake_medications_reviewed INTEGER NULL;
ALTER TABLE treatment_plans ADD COLUMN intake_consent_signed_on TEXT NULL;
ALTER TABLE treatment_plans ADD COLUMN intake_contraindications TEXT NULL;
ALTER TABLE treatment_plans ADD COLUMN intake_note TEXT NULL;
ALTER TABLE treatment_plans ADD COLUMN intake_decided_at TEXT NULL;
ALTER TABLE treatment_plans ADD COLUMN intake_decided_by_key_id TEXT NULL;

-- Outcome measures: a scored questionnaire, never edited; retracted_at marks one entered in error. taken_at is the
-- clinic's local time. answers and risk_flags are comma-separated (integers, wire codes).
CREATE TABLE assessments (
    id                 TEXT    NOT NULL PRIMARY KEY,
    clinic_id          TEXT    NOT NULL REFERENCES clinics (id),
    patient_id         TEXT    NOT NULL REFERENCES patients (id),
    instrument         TEXT    NOT NULL,
    answers            TEXT    NOT NULL,
    total              INTEGER NOT NULL,
    severity           TEXT    NOT NULL,
    risk_flags         TEXT    NOT NULL,
    taken_at           TEXT    NOT NULL,
    session_id         TEXT    NULL REFERENCES sessions (id),
    timing             TEXT    NULL,
    recorded_at        TEXT    NOT NULL,
    recorded_by_key_id TEXT    NOT NULL,
    retracted_at       TEXT    NULL,
    retract_reason     TEXT    NULL
) STRICT;
CREATE INDEX ix_assessments_patient ON assessments (clinic_id, patient_id, id);
