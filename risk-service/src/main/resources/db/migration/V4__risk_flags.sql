-- Re-scoring after authorization: payments allowed at authorization that re-scoring later put above the
-- review threshold. One flag, and one risk.flagged event (through the outbox, V3), per payment.
CREATE TABLE risk_flags (
    payment_id   text PRIMARY KEY,
    merchant_id  text NOT NULL,
    score        smallint NOT NULL CHECK (score BETWEEN 0 AND 100),
    reasons      text[] NOT NULL,
    event_id     text NOT NULL,
    flagged_at   timestamptz NOT NULL DEFAULT now()
);

GRANT SELECT, INSERT ON risk_flags TO ${app_role};
