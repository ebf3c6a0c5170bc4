CREATE TABLE merchants (
    id          text PRIMARY KEY,
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    status      text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- OAuth2 client credentials of merchants. Only a hash of the secret is kept.
CREATE TABLE merchant_clients (
    client_id    text PRIMARY KEY,
    merchant_id  text NOT NULL REFERENCES merchants (id),
    secret_hash  text NOT NULL,
    scopes       text[] NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    revoked_at   timestamptz
);
CREATE INDEX merchant_clients_merchant ON merchant_clients (merchant_id);

-- Keys that sign merchants' access tokens. The newest active key signs; every active key verifies.
CREATE TABLE signing_keys (
    kid          text PRIMARY KEY,
    algorithm    text NOT NULL,
    private_key  bytea NOT NULL,
    public_key   bytea NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    retired_at   timestamptz
);

-- Keys the gateway keeps for itself (the idempotency request-hash key), made once per deployment.
CREATE TABLE gateway_secrets (
    name        text PRIMARY KEY,
    value       bytea NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- API idempotency: per merchant and key, the request's keyed hash and, once done, the first response.
CREATE TABLE idempotency_keys (
    merchant_id      text NOT NULL,
    idempotency_key  text NOT NULL,
    request_hash     bytea NOT NULL,
    method           text NOT NULL,
    path             text NOT NULL,
    status           text NOT NULL CHECK (status IN ('in_progress', 'completed')),
    locked_until     timestamptz,
    response_status  integer,
    response_body    text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    completed_at     timestamptz,
    PRIMARY KEY (merchant_id, idempotency_key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

GRANT SELECT, INSERT, UPDATE ON merchants TO ${app_role};
GRANT SELECT, INSERT, UPDATE ON merchant_clients TO ${app_role};
GRANT SELECT, INSERT, UPDATE ON signing_keys TO ${app_role};
GRANT SELECT, INSERT ON gateway_secrets TO ${app_role};
GRANT SELECT, INSERT, UPDATE, DELETE ON idempotency_keys TO ${app_role};
