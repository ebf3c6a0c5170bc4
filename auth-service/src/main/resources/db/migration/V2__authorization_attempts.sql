-- One row per acquirer operation on a payment, written before the acquirer is called. Its id is the
-- reference the acquirer deduplicates on, so re-sending an attempt can never charge twice.
CREATE TABLE authorization_attempts (
    id                  text PRIMARY KEY,
    payment_id          text NOT NULL,
    merchant_id         text NOT NULL,
    operation           text NOT NULL CHECK (operation IN ('authorize', 'sale')),
    acquirer            text NOT NULL,
    amount_minor        bigint NOT NULL CHECK (amount_minor > 0),
    currency            char(3) NOT NULL,
    status              text NOT NULL CHECK (status IN ('sent', 'approved', 'declined', 'failed', 'unknown')),
    decline_code        text,
    network_reference   text,
    authorization_code  text,
    captured            boolean NOT NULL DEFAULT false,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    UNIQUE (payment_id, operation)
);
CREATE INDEX authorization_attempts_open ON authorization_attempts (created_at) WHERE status IN ('sent', 'unknown');


GRANT SELECT, INSERT, UPDATE ON authorization_attempts TO ${app_role};
