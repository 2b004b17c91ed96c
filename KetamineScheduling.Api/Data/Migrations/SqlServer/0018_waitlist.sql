-- The waitlist (issue 13 §2): patients waiting for chair time. When time is freed, the first entry whose window
-- fits a free start is offered it as a reservation (reservation_id) for a few minutes; an offer that lapses sends
-- the entry to the back of the queue (queued_at) and the time to the next entry.
CREATE TABLE dbo.waitlist_entries (
    id                uniqueidentifier NOT NULL CONSTRAINT pk_waitlist_entries PRIMARY KEY,
    clinic_id         uniqueidentifier NOT NULL CONSTRAINT fk_waitlist_entries_clinic REFERENCES dbo.clinics (id),
    patient_id        uniqueidentifier NOT NULL CONSTRAINT fk_waitlist_entries_patient REFERENCES dbo.patients (id),
    plan_id           uniqueidentifier NULL     CONSTRAINT fk_waitlist_entries_plan REFERENCES dbo.treatment_plans (id),
    earliest_date     date             NOT NULL,
    latest_date       date             NOT NULL,
    -- ISO day names separated by commas ("Monday,Wednesday"); null for every day.
    days_of_week      nvarchar(100)    NULL,
    earliest_time     time(0)          NULL,
    latest_time       time(0)          NULL,
    infusion_minutes  int              NOT NULL,
    note              nvarchar(500)    NULL,
    status            nvarchar(20)     NOT NULL,
    reservation_id    uniqueidentifier NULL     CONSTRAINT fk_waitlist_entries_reservation REFERENCES dbo.reservations (id),
    queued_at         datetime2(3)     NOT NULL,
    version           int              NOT NULL,
    created_at        datetime2(3)     NOT NULL,
    updated_at        datetime2(3)     NOT NULL
);
CREATE INDEX ix_waitlist_queue ON dbo.waitlist_entries (clinic_id, status, queued_at);
CREATE INDEX ix_waitlist_reservation ON dbo.waitlist_entries (reservation_id);
