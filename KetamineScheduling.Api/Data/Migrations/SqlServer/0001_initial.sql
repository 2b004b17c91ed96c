-- Instants are UTC datetime2(3); local dates and times are in the clinic's time zone.
-- Constraints are named so later migrations can alter them.

CREATE TABLE dbo.clinics (
    id                   uniqueidentifier NOT NULL CONSTRAINT pk_clinics PRIMARY KEY,
    name                 nvarchar(200)    NOT NULL,
    time_zone            nvarchar(64)     NOT NULL,
    slot_minutes         int              NOT NULL,
    turnover_minutes     int              NOT NULL,
    observation_minutes  int              NOT NULL,
    max_starts_per_slot  int              NULL,
    patients_may_cancel  bit              NOT NULL CONSTRAINT df_clinics_patients_may_cancel DEFAULT 0,
    version              int              NOT NULL,
    created_at           datetime2(3)     NOT NULL,
    updated_at           datetime2(3)     NOT NULL
);

CREATE TABLE dbo.opening_hours (
    clinic_id    uniqueidentifier NOT NULL CONSTRAINT fk_opening_hours_clinic REFERENCES dbo.clinics (id),
    day_of_week  int              NOT NULL CONSTRAINT ck_opening_hours_day_of_week CHECK (day_of_week BETWEEN 1 AND 7),
    opens        time(0)          NOT NULL,
    closes       time(0)          NOT NULL,
    CONSTRAINT pk_opening_hours PRIMARY KEY (clinic_id, day_of_week, opens)
);

CREATE TABLE dbo.closed_dates (
    clinic_id  uniqueidentifier NOT NULL CONSTRAINT fk_closed_dates_clinic REFERENCES dbo.clinics (id),
    date       date             NOT NULL,
    reason     nvarchar(500)    NULL,
    CONSTRAINT pk_closed_dates PRIMARY KEY (clinic_id, date)
);

CREATE TABLE dbo.chairs (
    id          uniqueidentifier NOT NULL CONSTRAINT pk_chairs PRIMARY KEY,
    clinic_id   uniqueidentifier NOT NULL CONSTRAINT fk_chairs_clinic REFERENCES dbo.clinics (id),
    name        nvarchar(200)    NOT NULL,
    created_at  datetime2(3)     NOT NULL
);
CREATE INDEX ix_chairs_clinic ON dbo.chairs (clinic_id);

CREATE TABLE dbo.patients (
    id            uniqueidentifier NOT NULL CONSTRAINT pk_patients PRIMARY KEY,
    clinic_id     uniqueidentifier NOT NULL CONSTRAINT fk_patients_clinic REFERENCES dbo.clinics (id),
    external_id   nvarchar(100)    NOT NULL,
    display_name  nvarchar(200)    NOT NULL,
    created_at    datetime2(3)     NOT NULL,
    CONSTRAINT uq_patients_external_id UNIQUE (clinic_id, external_id)
);

CREATE TABLE dbo.treatment_plans (
    id                           uniqueidentifier NOT NULL CONSTRAINT pk_treatment_plans PRIMARY KEY,
    clinic_id                    uniqueidentifier NOT NULL CONSTRAINT fk_treatment_plans_clinic REFERENCES dbo.clinics (id),
    patient_id                   uniqueidentifier NOT NULL CONSTRAINT fk_treatment_plans_patient REFERENCES dbo.patients (id),
    status                       nvarchar(20)     NOT NULL,
    start_date                   date             NOT NULL,
    preferred_start_time         time(0)          NOT NULL,
    infusion_minutes             int              NOT NULL,
    observation_minutes          int              NOT NULL,
    induction_sessions           int              NOT NULL,
    induction_interval_days      int              NOT NULL,
    induction_max_interval_days  int              NOT NULL,
    induction_max_span_days      int              NOT NULL,
    maintenance_sessions         int              NOT NULL,
    maintenance_intervals        nvarchar(200)    NOT NULL,
    induction_interrupted        bit              NOT NULL CONSTRAINT df_treatment_plans_induction_interrupted DEFAULT 0,
    version                      int              NOT NULL,
    created_at                   datetime2(3)     NOT NULL,
    updated_at                   datetime2(3)     NOT NULL
);
CREATE INDEX ix_treatment_plans_patient ON dbo.treatment_plans (clinic_id, patient_id);
CREATE INDEX ix_treatment_plans_status ON dbo.treatment_plans (clinic_id, status);

CREATE TABLE dbo.planned_sessions (
    plan_id       uniqueidentifier NOT NULL CONSTRAINT fk_planned_sessions_plan REFERENCES dbo.treatment_plans (id),
    sequence      int              NOT NULL,
    phase         nvarchar(20)     NOT NULL,
    date          date             NOT NULL,
    window_start  date             NOT NULL,
    window_end    date             NOT NULL,
    CONSTRAINT pk_planned_sessions PRIMARY KEY (plan_id, sequence)
);

CREATE TABLE dbo.sessions (
    id                   uniqueidentifier NOT NULL CONSTRAINT pk_sessions PRIMARY KEY,
    clinic_id            uniqueidentifier NOT NULL CONSTRAINT fk_sessions_clinic REFERENCES dbo.clinics (id),
    plan_id              uniqueidentifier NULL     CONSTRAINT fk_sessions_plan REFERENCES dbo.treatment_plans (id),
    patient_id           uniqueidentifier NOT NULL CONSTRAINT fk_sessions_patient REFERENCES dbo.patients (id),
    chair_id             uniqueidentifier NOT NULL CONSTRAINT fk_sessions_chair REFERENCES dbo.chairs (id),
    sequence             int              NULL,
    phase                nvarchar(20)     NULL,
    status               nvarchar(20)     NOT NULL,
    local_start          datetime2(0)     NOT NULL,
    time_zone            nvarchar(64)     NOT NULL,
    start_utc            datetime2(3)     NOT NULL,
    end_utc              datetime2(3)     NOT NULL,
    occupied_until_utc   datetime2(3)     NOT NULL,
    infusion_minutes     int              NOT NULL,
    observation_minutes  int              NOT NULL,
    turnover_minutes     int              NOT NULL,
    cancel_reason        nvarchar(500)    NULL,
    version              int              NOT NULL,
    created_at           datetime2(3)     NOT NULL,
    updated_at           datetime2(3)     NOT NULL
);
CREATE INDEX ix_sessions_local_start ON dbo.sessions (clinic_id, local_start);
CREATE INDEX ix_sessions_patient ON dbo.sessions (clinic_id, patient_id, start_utc);
CREATE INDEX ix_sessions_plan ON dbo.sessions (plan_id, sequence);
CREATE INDEX ix_sessions_chair ON dbo.sessions (clinic_id, chair_id, start_utc);

-- A claim row per fixed slot (ticks since the Unix epoch / slot length, UTC; see SessionStore) that a session holds; the primary keys
-- are what stop two sessions from taking the same chair, the same patient or the same start ordinal.
CREATE TABLE dbo.chair_claims (
    chair_id    uniqueidentifier NOT NULL CONSTRAINT fk_chair_claims_chair REFERENCES dbo.chairs (id),
    slot        bigint           NOT NULL,
    session_id  uniqueidentifier NOT NULL CONSTRAINT fk_chair_claims_session REFERENCES dbo.sessions (id),
    CONSTRAINT pk_chair_claims PRIMARY KEY (chair_id, slot)
);
CREATE INDEX ix_chair_claims_session ON dbo.chair_claims (session_id);

CREATE TABLE dbo.patient_claims (
    patient_id  uniqueidentifier NOT NULL CONSTRAINT fk_patient_claims_patient REFERENCES dbo.patients (id),
    slot        bigint           NOT NULL,
    session_id  uniqueidentifier NOT NULL CONSTRAINT fk_patient_claims_session REFERENCES dbo.sessions (id),
    CONSTRAINT pk_patient_claims PRIMARY KEY (patient_id, slot)
);
CREATE INDEX ix_patient_claims_session ON dbo.patient_claims (session_id);

CREATE TABLE dbo.start_claims (
    clinic_id   uniqueidentifier NOT NULL CONSTRAINT fk_start_claims_clinic REFERENCES dbo.clinics (id),
    slot        bigint           NOT NULL,
    ordinal     int              NOT NULL,
    session_id  uniqueidentifier NOT NULL CONSTRAINT fk_start_claims_session REFERENCES dbo.sessions (id),
    CONSTRAINT pk_start_claims PRIMARY KEY (clinic_id, slot, ordinal)
);
CREATE INDEX ix_start_claims_session ON dbo.start_claims (session_id);

CREATE TABLE dbo.api_keys (
    id          uniqueidentifier NOT NULL CONSTRAINT pk_api_keys PRIMARY KEY,
    clinic_id   uniqueidentifier NULL     CONSTRAINT fk_api_keys_clinic REFERENCES dbo.clinics (id),
    patient_id  uniqueidentifier NULL     CONSTRAINT fk_api_keys_patient REFERENCES dbo.patients (id),
    name        nvarchar(200)    NOT NULL,
    role        nvarchar(32)     NOT NULL,
    key_hash    nvarchar(128)    NOT NULL CONSTRAINT uq_api_keys_key_hash UNIQUE,
    key_prefix  nvarchar(16)     NOT NULL,
    created_at  datetime2(3)     NOT NULL,
    expires_at  datetime2(3)     NULL,
    revoked_at  datetime2(3)     NULL
);
CREATE INDEX ix_api_keys_clinic ON dbo.api_keys (clinic_id);

-- Audit, event and idempotency rows have no foreign keys: they record what happened and must outlive what they name.
CREATE TABLE dbo.audit_events (
    id             bigint IDENTITY  NOT NULL CONSTRAINT pk_audit_events PRIMARY KEY,
    clinic_id      uniqueidentifier NULL,
    actor_key_id   uniqueidentifier NULL,
    actor_role     nvarchar(32)     NULL,
    action         nvarchar(100)    NOT NULL,
    resource_type  nvarchar(32)     NOT NULL,
    resource_id    nvarchar(64)     NULL,
    patient_id     uniqueidentifier NULL,
    outcome        nvarchar(32)     NOT NULL,
    status_code    int              NOT NULL,
    request_id     nvarchar(64)     NOT NULL,
    occurred_at    datetime2(3)     NOT NULL
);
CREATE INDEX ix_audit_events_clinic ON dbo.audit_events (clinic_id, occurred_at);
CREATE INDEX ix_audit_events_patient ON dbo.audit_events (clinic_id, patient_id, occurred_at);

-- clinic_id is '' for keys that belong to no clinic; response_status is NULL while the first request still runs.
CREATE TABLE dbo.idempotency_records (
    clinic_id              nvarchar(36)     NOT NULL,
    key_id                 uniqueidentifier NOT NULL,
    idempotency_key        nvarchar(255)    NOT NULL,
    request_hash           nvarchar(64)     NOT NULL,
    method                 nvarchar(10)     NOT NULL,
    path                   nvarchar(400)    NOT NULL,
    response_status        int              NULL,
    response_content_type  nvarchar(200)    NULL,
    response_body          nvarchar(max)    NULL,
    response_location      nvarchar(2000)   NULL,
    created_at             datetime2(3)     NOT NULL,
    expires_at             datetime2(3)     NOT NULL,
    CONSTRAINT pk_idempotency_records PRIMARY KEY (clinic_id, key_id, idempotency_key)
);
CREATE INDEX ix_idempotency_records_expires ON dbo.idempotency_records (expires_at);

-- The change feed. Identity values can commit out of order, so readers page by position and stop below
-- MIN_ACTIVE_ROWVERSION(): a row still in an open transaction is never skipped.
CREATE TABLE dbo.events (
    id             bigint IDENTITY  NOT NULL CONSTRAINT pk_events PRIMARY KEY,
    clinic_id      uniqueidentifier NOT NULL,
    type           nvarchar(64)     NOT NULL,
    resource_type  nvarchar(32)     NOT NULL,
    resource_id    uniqueidentifier NOT NULL,
    patient_id     uniqueidentifier NULL,
    version        int              NOT NULL,
    occurred_at    datetime2(3)     NOT NULL,
    position       rowversion       NOT NULL
);
CREATE INDEX ix_events_clinic ON dbo.events (clinic_id, id);
CREATE INDEX ix_events_position ON dbo.events (clinic_id, position);

-- event_types is a comma-separated list, NULL for all; cursor (a reserved word here, so quote it) is the
-- last feed position delivered.
CREATE TABLE dbo.webhooks (
    id               uniqueidentifier NOT NULL CONSTRAINT pk_webhooks PRIMARY KEY,
    clinic_id        uniqueidentifier NOT NULL CONSTRAINT fk_webhooks_clinic REFERENCES dbo.clinics (id),
    url              nvarchar(2000)   NOT NULL,
    event_types      nvarchar(1000)   NULL,
    secret           nvarchar(200)    NOT NULL,
    [cursor]         bigint           NOT NULL CONSTRAINT df_webhooks_cursor DEFAULT 0,
    attempt          int              NOT NULL CONSTRAINT df_webhooks_attempt DEFAULT 0,
    next_attempt_at  datetime2(3)     NULL,
    lease_owner      nvarchar(200)    NULL,
    lease_until      datetime2(3)     NULL,
    created_at       datetime2(3)     NOT NULL,
    deleted_at       datetime2(3)     NULL
);
CREATE INDEX ix_webhooks_clinic ON dbo.webhooks (clinic_id);

CREATE TABLE dbo.webhook_attempts (
    id            bigint IDENTITY  NOT NULL CONSTRAINT pk_webhook_attempts PRIMARY KEY,
    webhook_id    uniqueidentifier NOT NULL CONSTRAINT fk_webhook_attempts_webhook REFERENCES dbo.webhooks (id),
    event_id      bigint           NOT NULL,
    attempt       int              NOT NULL,
    attempted_at  datetime2(3)     NOT NULL,
    status_code   int              NULL,
    error         nvarchar(1000)   NULL,
    succeeded     bit              NOT NULL
);
CREATE INDEX ix_webhook_attempts_webhook ON dbo.webhook_attempts (webhook_id, id);
