-- Post-authorization review flags: risk-service re-scores a payment it allowed once it is authorized or
-- captured, and when the new score reaches the review threshold it says so on risk_events (risk.flagged).
-- The flag puts the payment in the merchant's review queue until a reviewer approves it (it stays as it is)
-- or rejects it (an authorization is canceled, a capture refunded). One flag per payment.
CREATE TABLE payment_flags (
    payment_id  text PRIMARY KEY,
    merchant_id text NOT NULL,
    score       integer NOT NULL CHECK (score BETWEEN 0 AND 100),
    reasons     text[] NOT NULL,
    event_id    text NOT NULL,
    flagged_at  timestamptz NOT NULL DEFAULT now(),
    resolved_at timestamptz,
    resolution  text CHECK (resolution IN ('approved', 'rejected')),
    CHECK ((resolved_at IS NULL) = (resolution IS NULL))
);

CREATE INDEX payment_flags_open ON payment_flags (merchant_id, payment_id) WHERE resolved_at IS NULL;

-- flags are closed, never deleted
GRANT SELECT, INSERT, UPDATE ON payment_flags TO ${app_role};
