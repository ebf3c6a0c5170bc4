-- Every synchronous risk decision, written in batches off the request path.
CREATE TABLE risk_decisions (
    payment_id   text NOT NULL,
    merchant_id  text NOT NULL,
    score        smallint NOT NULL CHECK (score BETWEEN 0 AND 100),
    decision     text NOT NULL CHECK (decision IN ('allow', 'review', 'block')),
    reasons      text[] NOT NULL,
    amount_minor bigint NOT NULL,
    currency     char(3) NOT NULL,
    decided_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX risk_decisions_payment ON risk_decisions (payment_id);
CREATE INDEX risk_decisions_merchant_time ON risk_decisions (merchant_id, decided_at);

GRANT SELECT, INSERT ON risk_decisions TO ${app_role};
