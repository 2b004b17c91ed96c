-- A clinic's price list: one row per clinic, the list as the API reads and writes it (JSON, money as decimal
-- strings), and the version its ETag shows. The list is small and always read whole, so it is not normalised.
CREATE TABLE dbo.price_lists (
    clinic_id   uniqueidentifier NOT NULL CONSTRAINT pk_price_lists PRIMARY KEY CONSTRAINT fk_price_lists_clinic REFERENCES dbo.clinics (id),
    body        nvarchar(max)    NOT NULL,
    version     int              NOT NULL,
    updated_at  datetime2(3)     NOT NULL
);

-- A quote: an estimate frozen as the patient was told it (JSON), with the price-list version it was priced at,
-- so a later price change does not alter it.
CREATE TABLE dbo.quotes (
    id                  uniqueidentifier NOT NULL CONSTRAINT pk_quotes PRIMARY KEY,
    clinic_id           uniqueidentifier NOT NULL CONSTRAINT fk_quotes_clinic REFERENCES dbo.clinics (id),
    plan_id             uniqueidentifier NOT NULL CONSTRAINT fk_quotes_plan REFERENCES dbo.treatment_plans (id),
    patient_id          uniqueidentifier NOT NULL CONSTRAINT fk_quotes_patient REFERENCES dbo.patients (id),
    price_list_version  int              NOT NULL,
    estimate            nvarchar(max)    NOT NULL,
    created_at          datetime2(3)     NOT NULL
);
CREATE INDEX ix_quotes_plan ON dbo.quotes (clinic_id, plan_id);
