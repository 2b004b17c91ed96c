-- The clinic's staff: prescribers and nurses. kinds is the comma-separated list of wire codes (prescriber, nurse).
CREATE TABLE dbo.staff (
    id              uniqueidentifier NOT NULL CONSTRAINT pk_staff PRIMARY KEY,
    clinic_id       uniqueidentifier NOT NULL CONSTRAINT fk_staff_clinic REFERENCES dbo.clinics (id),
    name            nvarchar(200)    NOT NULL,
    kinds           nvarchar(100)    NOT NULL,
    npi             nvarchar(10)     NULL,
    licence_number  nvarchar(50)     NULL,
    active          bit              NOT NULL,
    version         int              NOT NULL,
    created_at      datetime2(3)     NOT NULL,
    updated_at      datetime2(3)     NOT NULL
);
CREATE INDEX ix_staff_clinic ON dbo.staff (clinic_id, id);

-- The member of staff a clinician key acts for; null for other keys.
ALTER TABLE dbo.api_keys ADD staff_id uniqueidentifier NULL;

-- Whether a plan needs an approved intake before it is booked. Clinics made from now on get true unless they say
-- otherwise (the API's default); clinics that existed before keep booking as they did.
ALTER TABLE dbo.clinics ADD intake_required bit NOT NULL CONSTRAINT df_clinics_intake_required DEFAULT 0;

-- The clinic's own course thresholds, each null for the documented default.
ALTER TABLE dbo.clinics ADD course_response_percent int NULL;
ALTER TABLE dbo.clinics ADD course_partial_response_percent int NULL;
ALTER TABLE dbo.clinics ADD course_remission_max_total int NULL;
ALTER TABLE dbo.clinics ADD course_booster_rise_points int NULL;

-- What the plan treats, who prescribes it and the measure its course follows (wire codes).
ALTER TABLE dbo.treatment_plans ADD indication_condition nvarchar(40) NULL;
ALTER TABLE dbo.treatment_plans ADD indication_icd10 nvarchar(8) NULL;
ALTER TABLE dbo.treatment_plans ADD indication_note nvarchar(1000) NULL;
ALTER TABLE dbo.treatment_plans ADD prescriber_id uniqueidentifier NULL;
ALTER TABLE dbo.treatment_plans ADD primary_measure nvarchar(20) NULL;

-- The intake decision on a plan, replaced by a later one; null until one is made. intake_contraindications are
-- comma-separated wire codes.
ALTER TABLE dbo.treatment_plans ADD intake_decision nvarchar(20) NULL;
ALTER TABLE dbo.treatment_plans ADD intake_prescriber_id uniqueidentifier NULL;
ALTER TABLE dbo.treatment_plans ADD intake_history_reviewed bit NULL;
ALTER TABLE dbo.treatment_plans ADD intake_medications_reviewed bit NULL;
ALTER TABLE dbo.treatment_plans ADD intake_consent_signed_on date NULL;
ALTER TABLE dbo.treatment_plans ADD intake_contraindications nvarchar(500) NULL;
ALTER TABLE dbo.treatment_plans ADD intake_note nvarchar(2000) NULL;
ALTER TABLE dbo.treatment_plans ADD intake_decided_at datetime2(3) NULL;
ALTER TABLE dbo.treatment_plans ADD intake_decided_by_key_id uniqueidentifier NULL;

-- Outcome measures: a scored questionnaire, never edited; retracted_at marks one entered in error. taken_at is the
-- clinic's local time. answers and risk_flags are comma-separated (integers, wire codes).
CREATE TABLE dbo.assessments (
    id                 uniqueidentifier NOT NULL CONSTRAINT pk_assessments PRIMARY KEY,
    clinic_id          uniqueidentifier NOT NULL CONSTRAINT fk_assessments_clinic REFERENCES dbo.clinics (id),
    patient_id         uniqueidentifier NOT NULL CONSTRAINT fk_assessments_patient REFERENCES dbo.patients (id),
    instrument         nvarchar(20)     NOT NULL,
    answers            nvarchar(100)    NOT NULL,
    total              int              NOT NULL,
    severity           nvarchar(20)     NOT NULL,
    risk_flags         nvarchar(100)    NOT NULL,
    taken_at           datetime2(0)     NOT NULL,
    session_id         uniqueidentifier NULL CONSTRAINT fk_assessments_session REFERENCES dbo.sessions (id),
    timing             nvarchar(20)     NULL,
    recorded_at        datetime2(3)     NOT NULL,
    recorded_by_key_id uniqueidentifier NOT NULL,
    retracted_at       datetime2(3)     NULL,
    retract_reason     nvarchar(500)    NULL
);
CREATE INDEX ix_assessments_patient ON dbo.assessments (clinic_id, patient_id, id);
