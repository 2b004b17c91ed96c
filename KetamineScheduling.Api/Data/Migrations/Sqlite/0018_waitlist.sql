-- The waitlist (issue 13 §2): patients waiting for chair time. When time is freed, the first entry whose window
-- fits a free start is offered it as a reservation (reservation_id) for a few minutes; an offer that lapses sends
-- the entry to the back of the queue (queued_at) and the time to the next entry.
CREATE TABLE waitlist_entries (
    id                TEXT    NOT NULL PRIMARY KEY,
    clinic_id         TEXT    NOT NULL REFERENCES clinics (id),
    patient_id        TEXT    NOT NULL REFERENCES patients (id),
    plan_id           TEXT    NULL     REFERENCES treatment_plans (id),
    earliest_date     TEXT    NOT NULL,
    latest_date       TEXT    NOT NULL,
    -- ISO day names separated by commas ("Monday,Wednesday"); null for every day.
    days_of_week      TEXT    NULL,
    earliest_time     TEXT    NULL,
    latest_time       TEXT    NULL,
    infusion_minutes  INTEGER NOT NULL,
    note              TEXT    NULL,
    status            TEXT    NOT NULL,
    reservation_id    TEXT    NULL     REFERENCES reservations (id),
    queued_at         TEXT    NOT NULL,
    version           INTEGER NOT NULL,
    created_at        TEXT    NOT NULL,
    updated_at        TEXT    NOT NULL
) STRICT;
CREATE INDEX ix_waitlist_queue ON waitlist_entries (clinic_id, status, queued_at);
CREATE INDEX ix_waitlist_reservation ON waitlist_entries (reservation_id);
