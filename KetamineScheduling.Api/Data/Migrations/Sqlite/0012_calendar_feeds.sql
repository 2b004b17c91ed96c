-- A patient's private iCalendar subscriptions. The secret token in a feed's URL is shown once, when the feed is made;
-- only its SHA-256 (lowercase hex, as for API keys) is kept, so a copy of the database cannot read anyone's calendar.
CREATE TABLE calendar_feeds (
    id          TEXT NOT NULL PRIMARY KEY,
    clinic_id   TEXT NOT NULL REFERENCES clinics (id),
    patient_id  TEXT NOT NULL REFERENCES patients (id),
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL,
    revoked_at  TEXT NULL
) STRICT;
CREATE INDEX ix_calendar_feeds_patient ON calendar_feeds (clinic_id, patient_id, id);

-- What a feed's events are called on a patient's phone; null for the neutral "Appointment at <clinic name>".
ALTER TABLE clinics ADD COLUMN calendar_event_title TEXT NULL;
