-- Data keys: AES-256 keys that encrypt card numbers, stored only wrapped by a key-encryption key (KEK).
CREATE TABLE data_keys (
    id           text PRIMARY KEY,
    kek_version  integer NOT NULL,
    wrapped_key  bytea NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    retired_at   timestamptz
);

-- One row per token: the card number encrypted under a data key, and what may be shown of the card.
CREATE TABLE card_tokens (
    token           text PRIMARY KEY,
    merchant_id     text NOT NULL,
    data_key_id     text NOT NULL REFERENCES data_keys (id),
    pan_ciphertext  bytea NOT NULL,
    brand           text NOT NULL,
    bin             char(6) NOT NULL,
    last4           char(4) NOT NULL,
    exp_month       smallint NOT NULL CHECK (exp_month BETWEEN 1 AND 12),
    exp_year        smallint NOT NULL,
    fingerprint     text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX card_tokens_merchant_fingerprint ON card_tokens (merchant_id, fingerprint);
CREATE INDEX card_tokens_data_key ON card_tokens (data_key_id);

GRANT SELECT, INSERT, UPDATE ON data_keys TO ${app_role};
GRANT SELECT, INSERT ON card_tokens TO ${app_role};
