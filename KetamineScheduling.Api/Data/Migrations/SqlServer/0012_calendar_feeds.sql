-- A patient's private iCalendar subscriptions. The secret token in a feed's URL is shown once, when the feed is made;
-- only its SHA-256 (lowercase hex, as for API keys) is kept, so a copy of the database cannot read anyone's calendar.
CREATE TABLE dbo.calendar_feeds (
    id          uniqueidentifier NOT NULL CONSTRAINT pk_calendar_feeds PRIMARY KEY,
    clinic_id   uniqueidentifier NOT NULL CONSTRAINT fk_calendar_feeds_clinic REFERENCES dbo.clinics (id),
    patient_id  uniqueidentifier NOT NULL CONSTRAINT fk_calendar_feeds_patient REFERENCES dbo.patients (id),
    token_hash  nvarchar(128)    NOT NULL CONSTRAINT uq_calendar_feeds_token_hash UNIQUE,
    created_at  datetime2(3)     NOT NULL,
    revoked_at  datetime2(3)     NULL
);
CREATE INDEX ix_calendar_feeds_patient ON dbo.calendar_feeds (clinic_id, patient_id, id);

-- What a feed's events are called on a patient's phone; null for the neutral "Appointment at <clinic name>".
ALTER TABLE dbo.clinics ADD calendar_event_title nvarchar(100) NULL;
