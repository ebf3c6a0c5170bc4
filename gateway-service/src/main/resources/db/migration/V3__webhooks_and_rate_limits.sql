-- Per-merchant rate limits; null means the gateway's defaults.
ALTER TABLE merchants
    ADD COLUMN rate_limit_per_second integer CHECK (rate_limit_per_second BETWEEN 1 AND 100000),
    ADD COLUMN rate_limit_burst      integer CHECK (rate_limit_burst BETWEEN 1 AND 1000000);

-- Where a merchant wants its events. The signing secret is kept encrypted (AES-256-GCM under a key in
-- gateway_secrets), since the gateway needs it back to sign every delivery.
CREATE TABLE webhook_endpoints (
    id                 text PRIMARY KEY,
    merchant_id        text NOT NULL REFERENCES merchants (id),
    url                text NOT NULL CHECK (length(url) BETWEEN 8 AND 2048),
    events             text[] NOT NULL CHECK (cardinality(events) BETWEEN 1 AND 10),
    secret_ciphertext  bytea NOT NULL,
    created_at         timestamptz NOT NULL DEFAULT now(),
    deleted_at         timestamptz
);
CREATE INDEX webhook_endpoints_merchant ON webhook_endpoints (merchant_id) WHERE deleted_at IS NULL;

-- One row per event and endpoint: the unique key makes enqueueing idempotent when Kafka redelivers.
CREATE TABLE webhook_deliveries (
    id               bigserial PRIMARY KEY,
    event_id         text NOT NULL,
    endpoint_id      text NOT NULL REFERENCES webhook_endpoints (id),
    merchant_id      text NOT NULL,
    event_type       text NOT NULL,
    payload          text NOT NULL,
    status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'abandoned')),
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    created_at       timestamptz NOT NULL DEFAULT now(),
    finished_at      timestamptz,
    UNIQUE (event_id, endpoint_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';

-- Every attempt, kept: when, what the endpoint answered (or why nothing came back), how long it took.
CREATE TABLE webhook_attempts (
    delivery_id      bigint NOT NULL REFERENCES webhook_deliveries (id),
    attempt          integer NOT NULL,
    attempted_at     timestamptz NOT NULL DEFAULT now(),
    response_status  integer,
    error            text,
    duration_ms      integer NOT NULL,
    PRIMARY KEY (delivery_id, attempt)
);

GRANT SELECT, INSERT, UPDATE ON webhook_endpoints TO ${app_role};
GRANT SELECT, INSERT, UPDATE ON webhook_deliveries TO ${app_role};
GRANT USAGE ON SEQUENCE webhook_deliveries_id_seq TO ${app_role};
GRANT SELECT, INSERT ON webhook_attempts TO ${app_role};
