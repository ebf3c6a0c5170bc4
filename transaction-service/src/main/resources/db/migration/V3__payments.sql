-- Payments, partitioned by the month they were created. created_at is the time encoded in the id, so a
-- lookup by id also knows its partition.
CREATE TABLE payments (
    id                       text NOT NULL,
    created_at               timestamptz NOT NULL,
    merchant_id              text NOT NULL,
    status                   text NOT NULL,
    capture_method           text NOT NULL CHECK (capture_method IN ('AUTOMATIC', 'MANUAL')),
    amount_minor             bigint NOT NULL CHECK (amount_minor > 0),
    currency                 char(3) NOT NULL,
    amount_capturable_minor  bigint NOT NULL CHECK (amount_capturable_minor >= 0),
    amount_captured_minor    bigint NOT NULL CHECK (amount_captured_minor >= 0),
    amount_refunded_minor    bigint NOT NULL CHECK (amount_refunded_minor >= 0),
    token                    text NOT NULL,
    card_brand               text,
    card_bin                 char(6),
    card_last4               char(4),
    card_exp_month           smallint,
    card_exp_year            smallint,
    card_fingerprint         text,
    risk_score               smallint,
    risk_decision            text,
    risk_reasons             text[] NOT NULL DEFAULT '{}',
    risk_fallback            boolean NOT NULL DEFAULT false,
    acquirer                 text,
    network_reference        text,
    authorization_code       text,
    failure_code             text,
    decline_code             text,
    failure_message          text,
    reference                text,
    description              text,
    metadata                 jsonb NOT NULL DEFAULT '{}',
    idempotency_key          text,
    updated_at               timestamptz NOT NULL,
    version                  bigint NOT NULL,
    PRIMARY KEY (id, created_at),
    CHECK (amount_captured_minor + amount_capturable_minor <= amount_minor),
    CHECK (amount_refunded_minor <= amount_captured_minor)
) PARTITION BY RANGE (created_at);
CREATE INDEX payments_merchant_newest ON payments (merchant_id, id);
CREATE INDEX payments_unresolved ON payments (updated_at) WHERE status IN ('AUTHORIZING', 'PENDING');

SELECT ensure_monthly_partitions('payments', 3);

-- A merchant's idempotency keys, outside the partitions so uniqueness holds across months.
CREATE TABLE payment_keys (
    merchant_id      text NOT NULL,
    idempotency_key  text NOT NULL,
    payment_id       text NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (merchant_id, idempotency_key)
);


GRANT SELECT, INSERT, UPDATE ON payments TO ${app_role};
GRANT SELECT, INSERT, DELETE ON payment_keys TO ${app_role};
