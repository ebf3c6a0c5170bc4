-- Shared SQL (common-lib), adopted through a SharedSqlMigration: the append-only, hash-chained audit log.
-- seq is contiguous from 1, so a removed row leaves a gap; hash = SHA-256(previous_hash || the row's
-- canonical content), so a changed or inserted row breaks the chain from there on.
CREATE TABLE audit_log (
    seq            bigint PRIMARY KEY CHECK (seq > 0),
    at             timestamptz NOT NULL,
    actor          text NOT NULL,
    action         text NOT NULL,
    subject        text,
    merchant_id    text,
    details        text NOT NULL DEFAULT '{}',
    previous_hash  bytea NOT NULL CHECK (length(previous_hash) = 32),
    hash           bytea NOT NULL CHECK (length(hash) = 32)
);

-- The runtime role may append and read, never change or remove.
GRANT SELECT, INSERT ON audit_log TO ${app_role};
