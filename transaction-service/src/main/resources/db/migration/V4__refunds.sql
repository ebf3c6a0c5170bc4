-- Refunds in flight are reserved against the payment, so concurrent refunds can never together exceed
-- what was captured.
ALTER TABLE payments ADD COLUMN amount_refunding_minor bigint NOT NULL DEFAULT 0 CHECK (amount_refunding_minor >= 0);
ALTER TABLE payments ADD CONSTRAINT payments_refunds_within_captured
    CHECK (amount_refunded_minor + amount_refunding_minor <= amount_captured_minor);

-- Refunds, partitioned by the month they were created (the time in their id), on their payment's shard.
CREATE TABLE refunds (
    id                 text NOT NULL,
    created_at         timestamptz NOT NULL,
    payment_id         text NOT NULL,
    merchant_id        text NOT NULL,
    amount_minor       bigint NOT NULL CHECK (amount_minor > 0),
    currency           char(3) NOT NULL,
    reason             text,
    status             text NOT NULL CHECK (status IN ('PENDING', 'SUCCEEDED', 'FAILED')),
    failure_reason     text,
    network_reference  text,
    idempotency_key    text,
    updated_at         timestamptz NOT NULL,
    PRIMARY KEY (id, created_at)
) PARTITION BY RANGE (created_at);
CREATE INDEX refunds_of_payment ON refunds (payment_id, id);
CREATE INDEX refunds_pending ON refunds (updated_at) WHERE status = 'PENDING';

SELECT ensure_monthly_partitions('refunds', 3);

CREATE TABLE refund_keys (
    merchant_id      text NOT NULL,
    idempotency_key  text NOT NULL,
    refund_id        text NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (merchant_id, idempotency_key)
);

GRANT SELECT, INSERT, UPDATE ON refunds TO ${app_role};
GRANT SELECT, INSERT, DELETE ON refund_keys TO ${app_role};
