-- Shared SQL (common-lib), adopted through a SharedSqlMigration: the transactional outbox, events
-- written in the same transaction as the state they announce, published to Kafka by OutboxRelay.
CREATE TABLE outbox (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    topic        text NOT NULL,
    message_key  text NOT NULL,
    event_id     text NOT NULL,
    event_type   text NOT NULL,
    traceparent  text,
    payload      bytea NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);

GRANT SELECT, INSERT, DELETE ON outbox TO ${app_role};
