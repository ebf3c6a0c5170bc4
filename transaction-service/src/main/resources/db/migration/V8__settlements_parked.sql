-- Settlements (payment.settled from settlement_events) that could not be applied when they arrived: the
-- payment is not captured in this service's view (not yet, or not at all), or it is unknown here. Written in
-- the same transaction as the event's deduplication record, so nothing is lost between Kafka and here;
-- retried (those waiting for a capture first, then the longest untried) until the payment can take it, and
-- kept with the last reason for a person meanwhile. The envelope is the event as it arrived.
CREATE TABLE settlements_parked (
    event_id     text PRIMARY KEY,
    merchant_id  text NOT NULL,
    payment_id   text NOT NULL,
    reason       text NOT NULL,
    envelope     bytea NOT NULL,
    attempts     integer NOT NULL DEFAULT 1 CHECK (attempts >= 1),
    parked_at    timestamptz NOT NULL DEFAULT now(),
    tried_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX settlements_parked_due ON settlements_parked (reason, tried_at, event_id);

GRANT SELECT, INSERT, UPDATE, DELETE ON settlements_parked TO ${app_role};
