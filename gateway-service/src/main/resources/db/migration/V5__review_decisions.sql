-- Reviewers' decisions on payments the risk engine held, recorded once transaction-service carried them out.
-- The audit log holds the request (written before it is carried out); this table holds what was decided.
CREATE TABLE review_decisions (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    merchant_id  text NOT NULL REFERENCES merchants (id),
    payment_id   text NOT NULL,
    decision     text NOT NULL CHECK (decision IN ('approve', 'reject')),
    reviewer     text CHECK (length(reviewer) BETWEEN 1 AND 100),
    note         text CHECK (length(note) <= 500),
    client_id    text NOT NULL REFERENCES merchant_clients (client_id),
    decided_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX review_decisions_payment ON review_decisions (merchant_id, payment_id);

GRANT SELECT, INSERT ON review_decisions TO ${app_role};
