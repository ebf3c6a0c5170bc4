-- Consumer-side deduplication (common-lib's ProcessedEvents): an event id is recorded in the transaction
-- that applies the event, so a redelivered event does nothing. Rows older than the topics keep events are
-- purged by the consuming service, hence DELETE.
CREATE TABLE processed_events (
    consumer      text NOT NULL,
    event_id      text NOT NULL,
    processed_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);
CREATE INDEX processed_events_time ON processed_events (processed_at);

GRANT SELECT, INSERT, DELETE ON processed_events TO ${app_role};
