-- Money captured or refunded that still has to be settled with its acquirer, one row per movement.
CREATE TABLE settlement_items (
    source_event_id  text PRIMARY KEY,
    payment_id       text NOT NULL,
    merchant_id      text NOT NULL,
    acquirer         text NOT NULL,
    kind             text NOT NULL CHECK (kind IN ('capture', 'refund')),
    amount_minor     bigint NOT NULL CHECK (amount_minor > 0),
    currency         char(3) NOT NULL,
    occurred_at      timestamptz NOT NULL,
    batch_id         text,
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX settlement_items_unbatched ON settlement_items (acquirer, currency) WHERE batch_id IS NULL;
CREATE INDEX settlement_items_payment ON settlement_items (payment_id);

CREATE TABLE processed_events (
    consumer      text NOT NULL,
    event_id      text NOT NULL,
    processed_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);

GRANT SELECT, INSERT, UPDATE ON settlement_items TO ${app_role};
GRANT SELECT, INSERT ON processed_events TO ${app_role};
