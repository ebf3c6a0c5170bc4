package dev.nightjar.common.kafka;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Consumer-side deduplication: a consumer records each event id in {@code processed_events} in the same
 * database transaction as the event's effect, so an event delivered twice takes effect once.
 * <pre>
 * CREATE TABLE processed_events (
 *   consumer text NOT NULL, event_id text NOT NULL, processed_at timestamptz NOT NULL DEFAULT now(),
 *   PRIMARY KEY (consumer, event_id));
 * </pre>
 */
public final class ProcessedEvents {

    private ProcessedEvents() {
    }

    /** True the first time {@code consumer} sees {@code eventId}; false for a duplicate. Call inside the effect's transaction. */
    public static boolean firstTime(JdbcClient jdbc, String consumer, String eventId) {
        return jdbc.sql("INSERT INTO processed_events (consumer, event_id) VALUES (:consumer, :eventId) ON CONFLICT DO NOTHING")
                .param("consumer", consumer)
                .param("eventId", eventId)
                .update() == 1;
    }
}
