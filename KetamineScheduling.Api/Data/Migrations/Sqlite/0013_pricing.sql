-- A clinic's price list: one row per clinic, the list as the API reads and writes it (JSON, money as decimal
-- strings), and the version its ETag shows. The list is small and always read whole, so it is not normalised.
CREATE TABLE price_lists (
    clinic_id   TEXT    NOT NULL PRIMARY KEY REFERENCES clinics (id),
    body        TEXT    NOT NULL,
    version     INTEGER NOT NULL,
    updated_at  TEXT    NOT NULL
) STRICT;

-- A quote: an estimate frozen as the patient was told it (JSON), with the price-list version it was priced at,
-- so a later price change does not alter it.
CREATE TABLE quotes (
    id                  TEXT    NOT NULL PRIMARY KEY,
    clinic_id           TEXT    NOT NULL REFERENCES clinics (id),
    plan_id             TEXT    NOT NULL REFERENCES treatment_plans (id),
    patient_id          TEXT    NOT NULL REFERENCES patients (id),
    price_list_version  INTEGER NOT NULL,
    estimate            TEXT    NOT NULL,
    created_at          TEXT    NOT NULL
) STRICT;
CREATE INDEX ix_quotes_plan ON quotes (clinic_id, plan_id);
