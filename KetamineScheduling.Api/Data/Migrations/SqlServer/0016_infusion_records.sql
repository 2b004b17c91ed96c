-- Whether a clinic requires a readiness record and a started infusion before a session is completed (issue 11 §5),
-- and the limits readiness is checked against as JSON (minFastingHours, maxSystolic, maxDiastolic, maxHeartRate,
-- minSpo2, rideHomeRequired); NULL for the documented defaults. Clinics made before this require readiness, as new
-- clinics do unless they say otherwise.
ALTER TABLE dbo.clinics ADD readiness_required bit NOT NULL CONSTRAINT df_clinics_readiness_required DEFAULT 1;
ALTER TABLE dbo.clinics ADD readiness_limits nvarchar(1000) NULL;

-- What was recorded in the chair for one session, each part as the API answers it (JSON): the readiness check
-- before the infusion, the infusion's dose and any prescriber's override, and the discharge. This is patient data:
-- vitals, weight and notes. A part is NULL until it is recorded.
CREATE TABLE dbo.infusion_records (
    session_id  uniqueidentifier NOT NULL CONSTRAINT pk_infusion_records PRIMARY KEY CONSTRAINT fk_infusion_records_session REFERENCES dbo.sessions (id),
    clinic_id   uniqueidentifier NOT NULL CONSTRAINT fk_infusion_records_clinic REFERENCES dbo.clinics (id),
    patient_id  uniqueidentifier NOT NULL CONSTRAINT fk_infusion_records_patient REFERENCES dbo.patients (id),
    readiness   nvarchar(max)    NULL,
    infusion    nvarchar(max)    NULL,
    discharge   nvarchar(max)    NULL,
    updated_at  datetime2(3)     NOT NULL
);
CREATE INDEX ix_infusion_records_patient ON dbo.infusion_records (clinic_id, patient_id);
