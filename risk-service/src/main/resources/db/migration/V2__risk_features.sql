-- Streaming features, durable: what the in-memory feature store holds, so a restart loses nothing. Written
-- once per Kafka batch in the transaction that marks the batch's event ids processed; read back (the last
-- day) at start-up; purged past the day window.

-- Event ids already applied: a redelivered event changes nothing.
CREATE TABLE processed_events (
    consumer      text NOT NULL,
    event_id      text NOT NULL,
    processed_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);
CREATE INDEX processed_events_time ON processed_events (processed_at);

-- Payments already counted: a payment has several events (pending, then captured; authorized, then
-- captured) but is one attempt.
CREATE TABLE risk_payments_seen (
    payment_id  text PRIMARY KEY,
    seen_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX risk_payments_seen_time ON risk_payments_seen (seen_at);

-- Payments and declines per key and epoch minute. Keys: 'card:<fingerprint>', 'merchant:<id>', 'ip:<address>'.
CREATE TABLE risk_feature_buckets (
    feature_key  text NOT NULL,
    minute       bigint NOT NULL,
    payments     integer NOT NULL CHECK (payments >= 0),
    declines     integer NOT NULL CHECK (declines >= 0),
    PRIMARY KEY (feature_key, minute)
);
CREATE INDEX risk_feature_buckets_minute ON risk_feature_buckets (minute);

-- Distinct members seen by a key, with the last epoch minute each was seen: merchants per card, cards per IP.
CREATE TABLE risk_feature_members (
    feature_key  text NOT NULL,
    member       text NOT NULL,
    last_minute  bigint NOT NULL,
    PRIMARY KEY (feature_key, member)
);
CREATE INDEX risk_feature_members_minute ON risk_feature_members (last_minute);

-- Running sums of ln(1 + amount in euros) per merchant and currency, for the amount anomaly.
CREATE TABLE risk_merchant_amounts (
    merchant_id      text NOT NULL,
    currency         text NOT NULL,
    observations     bigint NOT NULL CHECK (observations >= 0),
    sum_log          double precision NOT NULL,
    sum_log_squared  double precision NOT NULL,
    PRIMARY KEY (merchant_id, currency)
);

-- When each card was first seen at a merchant (epoch minute). Kept beyond the day window: a returning
-- customer is not a new card.
CREATE TABLE risk_card_first_seen (
    merchant_id   text NOT NULL,
    fingerprint   text NOT NULL,
    first_minute  bigint NOT NULL,
    PRIMARY KEY (merchant_id, fingerprint)
);
CREATE INDEX risk_card_first_seen_fingerprint ON risk_card_first_seen (fingerprint);

-- What payment events do not carry and the consumer (the IP address) and re-scoring (the BIN) need.
ALTER TABLE risk_decisions
    ADD COLUMN card_bin text,
    ADD COLUMN card_last4 text,
    ADD COLUMN customer_ip text,
    ADD COLUMN ip_country text,
    ADD COLUMN card_country text;

GRANT SELECT, INSERT, DELETE ON processed_events TO ${app_role};
GRANT SELECT, INSERT, DELETE ON risk_payments_seen TO ${app_role};
GRANT SELECT, INSERT, UPDATE, DELETE ON risk_feature_buckets TO ${app_role};
GRANT SELECT, INSERT, UPDATE, DELETE ON risk_feature_members TO ${app_role};
GRANT SELECT, INSERT, UPDATE ON risk_merchant_amounts TO ${app_role};
GRANT SELECT, INSERT, UPDATE ON risk_card_first_seen TO ${app_role};
