-- Ids are lowercase Guid text, dates and times are sortable ISO text (see DapperTypeHandlers), booleans are 0 or 1.
-- STRICT tables refuse a value of the wrong type (a Guid bound as a BLOB, say) instead of storing it.

CREATE TABLE clinics (
    id                   TEXT    NOT NULL PRIMARY KEY,
    name                 TEXT    NOT NULL,
    time_zone            TEXT    NOT NULL,
    slot_minutes         INTEGER NOT NULL,
    turnover_minutes     INTEGER NOT NULL,
    observation_minutes  INTEGER NOT NULL,
    max_starts_per_slot  INTEGER NULL,
    patients_may_cancel  INTEGER NOT NULL DEFAULT 0,
    version              INTEGER NOT NULL,
    created_at           TEXT    NOT NULL,
    updated_at           TEXT    NOT NULL
) STRICT;

CREATE TABLE opening_hours (
    clinic_id    TEXT    NOT NULL REFERENCES clinics (id),
    day_of_week  INTEGER NOT NULL CHECK (day_of_week BETWEEN 1 AND 7),
    opens        TEXT    NOT NULL,
    closes       TEXT    NOT NULL,
    PRIMARY KEY (clinic_id, day_of_week, opens)
) STRICT;

CREATE TABLE closed_dates (
    clinic_id  TEXT NOT NULL REFERENCES clinics (id),
    date       TEXT NOT NULL,
    reason     TEXT NULL,
    PRIMARY KEY (clinic_id, date)
) STRICT;

CREATE TABLE chairs (
    id          TEXT NOT NULL PRIMARY KEY,
    clinic_id   TEXT NOT NULL REFERENCES clinics (id),
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL
) STRICT;
CREATE INDEX ix_chairs_clinic ON chairs (clinic_id);

CREATE TABLE patients (
    id            TEXT NOT NULL PRIMARY KEY,
    clinic_id     TEXT NOT NULL REFERENCES clinics (id),
    external_id   TEXT NOT NULL,
    display_name  TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    UNIQUE (clinic_id, external_id)
) STRICT;

CREATE TABLE treatment_plans (
    id                           TEXT    NOT NULL PRIMARY KEY,
    clinic_id                    TEXT    NOT NULL REFERENCES clinics (id),
    patient_id                   TEXT    NOT NULL REFERENCES patients (id),
    status                       TEXT    NOT NULL,
    start_date                   TEXT    NOT NULL,
    preferred_start_time         TEXT    NOT NULL,
    infusion_minutes             INTEGER NOT NULL,
    observation_minutes          INTEGER NOT NULL,
    induction_sessions           INTEGER NOT NULL,
    induction_interval_days      INTEGER NOT NULL,
    induction_max_interval_days  INTEGER NOT NULL,
    induction_max_span_days      INTEGER NOT NULL,
    maintenance_sessions         INTEGER NOT NULL,
    maintenance_intervals        TEXT    NOT NULL,
    induction_interrupted        INTEGER NOT NULL DEFAULT 0,
    version                      INTEGER NOT NULL,
    created_at                   TEXT    NOT NULL,
    updated_at                   TEXT    NOT NULL
) STRICT;
CREATE INDEX ix_treatment_plans_patient ON treatment_plans (clinic_id, patient_id);
CREATE INDEX ix_treatment_plans_status ON treatment_plans (clinic_id, status);

CREATE TABLE planned_sessions (
    plan_id       TEXT    NOT NULL REFERENCES treatment_plans (id),
    sequence      INTEGER NOT NULL,
    phase         TEXT    NOT NULL,
    date          TEXT    NOT NULL,
    window_start  TEXT    NOT NULL,
    window_end    TEXT    NOT NULL,
    PRIMARY KEY (plan_id, sequence)
) STRICT;

CREATE TABLE sessions (
    id                   TEXT    NOT NULL PRIMARY KEY,
    clinic_id            TEXT    NOT NULL REFERENCES clinics (id),
    plan_id              TEXT    NULL     REFERENCES treatment_plans (id),
    patient_id           TEXT    NOT NULL REFERENCES patients (id),
    chair_id             TEXT    NOT NULL REFERENCES chairs (id),
    sequence             INTEGER NULL,
    phase                TEXT    NULL,
    status               TEXT    NOT NULL,
    local_start          TEXT    NOT NULL,
    time_zone            TEXT    NOT NULL,
    start_utc            TEXT    NOT NULL,
    end_utc              TEXT    NOT NULL,
    occupied_until_utc   TEXT    NOT NULL,
    infusion_minutes     INTEGER NOT NULL,
    observation_minutes  INTEGER NOT NULL,
    turnover_minutes     INTEGER NOT NULL,
    cancel_reason        TEXT    NULL,
    version              INTEGER NOT NULL,
    created_at           TEXT    NOT NULL,
    updated_at           TEXT    NOT NULL
) STRICT;
CREATE INDEX ix_sessions_local_start ON sessions (clinic_id, local_start);
CREATE INDEX ix_sessions_patient ON sessions (clinic_id, patient_id, start_utc);
CREATE INDEX ix_sessions_plan ON sessions (plan_id, sequence);
CREATE INDEX ix_sessions_chair ON sessions (clinic_id, chair_id, start_utc);

-- A claim row per fixed slot (ticks since the Unix epoch / slot length, UTC; see SessionStore) that a session holds; the primary keys
-- are what stop two sessions from taking the same chair, the same patient or the same start ordinal.
CREATE TABLE chair_claims (
    chair_id    TEXT    NOT NULL REFERENCES chairs (id),
    slot        INTEGER NOT NULL,
    session_id  TEXT    NOT NULL REFERENCES sessions (id),
    PRIMARY KEY (chair_id, slot)
) STRICT;
CREATE INDEX ix_chair_claims_session ON chair_claims (session_id);

CREATE TABLE patient_claims (
    patient_id  TEXT    NOT NULL REFERENCES patients (id),
    slot        INTEGER NOT NULL,
    session_id  TEXT    NOT NULL REFERENCES sessions (id),
    PRIMARY KEY (patient_id, slot)
) STRICT;
CREATE INDEX ix_patient_claims_session ON patient_claims (session_id);

CREATE TABLE start_claims (
    clinic_id   TEXT    NOT NULL REFERENCES clinics (id),
    slot        INTEGER NOT NULL,
    ordinal     INTEGER NOT NULL,
    session_id  TEXT    NOT NULL REFERENCES sessions (id),
    PRIMARY KEY (clinic_id, slot, ordinal)
) STRICT;
CREATE INDEX ix_start_claims_session ON start_claims (session_id);

CREATE TABLE api_keys (
    id          TEXT NOT NULL PRIMARY KEY,
    clinic_id   TEXT NULL REFERENCES clinics (id),
    patient_id  TEXT NULL REFERENCES patients (id),
    name        TEXT NOT NULL,
    role        TEXT NOT NULL,
    key_hash    TEXT NOT NULL UNIQUE,
    key_prefix  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NULL,
    revoked_at  TEXT NULL
) STRICT;
CREATE INDEX ix_api_keys_clinic ON api_keys (clinic_id);

-- Audit, event and idempotency rows have no foreign keys: they record what happened and must outlive what they name.
CREATE TABLE audit_events (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    clinic_id      TEXT    NULL,
    actor_key_id   TEXT    NULL,
    actor_role     TEXT    NULL,
    action         TEXT    NOT NULL,
    resource_type  TEXT    NOT NULL,
    resource_id    TEXT    NULL,
    patient_id     TEXT    NULL,
    outcome        TEXT    NOT NULL,
    status_code    INTEGER NOT NULL,
    request_id     TEXT    NOT NULL,
    occurred_at    TEXT    NOT NULL
) STRICT;
CREATE INDEX ix_audit_events_clinic ON audit_events (clinic_id, occurred_at);
CREATE INDEX ix_audit_events_patient ON audit_events (clinic_id, patient_id, occurred_at);

-- clinic_id is '' for keys that belong to no clinic; response_status is NULL while the first request still runs.
CREATE TABLE idempotency_records (
    clinic_id              TEXT    NOT NULL,
    key_id                 TEXT    NOT NULL,
    idempotency_key        TEXT    NOT NULL,
    request_hash           TEXT    NOT NULL,
    method                 TEXT    NOT NULL,
    path                   TEXT    NOT NULL,
    response_status        INTEGER NULL,
    response_content_type  TEXT    NULL,
    response_body          TEXT    NULL,
    response_location      TEXT    NULL,
    created_at             TEXT    NOT NULL,
    expires_at             TEXT    NOT NULL,
    PRIMARY KEY (clinic_id, key_id, idempotency_key)
) STRICT;
CREATE INDEX ix_idempotency_records_expires ON idempotency_records (expires_at);

-- The change feed: id is the feed position. SQLite has a single writer, so ids become visible in order.
CREATE TABLE events (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    clinic_id      TEXT    NOT NULL,
    type           TEXT    NOT NULL,
    resource_type  TEXT    NOT NULL,
    resource_id    TEXT    NOT NULL,
    patient_id     TEXT    NULL,
    version        INTEGER NOT NULL,
    occurred_at    TEXT    NOT NULL
) STRICT;
CREATE INDEX ix_events_clinic ON events (clinic_id, id);

-- event_types is a comma-separated list, NULL for all; cursor is the last feed position delivered.
CREATE TABLE webhooks (
    id               TEXT    NOT NULL PRIMARY KEY,
    clinic_id        TEXT    NOT NULL REFERENCES clinics (id),
    url              TEXT    NOT NULL,
    event_types      TEXT    NULL,
    secret           TEXT    NOT NULL,
    cursor           INTEGER NOT NULL DEFAULT 0,
    attempt          INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT    NULL,
    lease_owner      TEXT    NULL,
    lease_until      TEXT    NULL,
    created_at       TEXT    NOT NULL,
    deleted_at       TEXT    NULL
) STRICT;
CREATE INDEX ix_webhooks_clinic ON webhooks (clinic_id);

CREATE TABLE webhook_attempts (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    webhook_id    TEXT    NOT NULL REFERENCES webhooks (id),
    event_id      INTEGER NOT NULL,
    attempt       INTEGER NOT NULL,
    attempted_at  TEXT    NOT NULL,
    status_code   INTEGER NULL,
    error         TEXT    NULL,
    succeeded     INTEGER NOT NULL
) STRICT;
CREATE INDEX ix_webhook_attempts_webhook ON webhook_attempts (webhook_id, id);
