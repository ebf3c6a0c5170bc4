package dev.nightjar.common.outbox;

import dev.nightjar.common.event.EventCodec;
import dev.nightjar.common.event.EventEnvelope;
import dev.nightjar.common.event.Topic;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The transactional outbox: an event is written to the {@code outbox} table in the same database
 * transaction as the state change it announces, and {@link OutboxRelay} publishes it to Kafka afterwards.
 * A state change without its event, or an event without its state change, cannot happen.
 *
 * <p>Every service with an outbox has this table in its migrations:
 * <pre>
 * CREATE TABLE outbox (
 *   id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
 *   topic text NOT NULL, message_key text NOT NULL, event_id text NOT NULL,
 *   event_type text NOT NULL, traceparent text, payload bytea NOT NULL,
 *   created_at timestamptz NOT NULL DEFAULT now());
 * </pre>
 */
public final class Outbox {

    public static final String INSERT = """
            INSERT INTO outbox (topic, message_key, event_id, event_type, traceparent, payload)
            VALUES (:topic, :key, :eventId, :type, :traceparent, :payload)""";

    private Outbox() {
    }

    /** Appends the event inside the caller's current transaction on {@code jdbc}'s database. */
    public static <P> void append(JdbcClient jdbc, Topic<P> topic, EventEnvelope<P> envelope) {
        jdbc.sql(INSERT)
                .param("topic", topic.name())
                .param("key", envelope.key())
                .param("eventId", envelope.eventId())
                .param("type", envelope.type())
                .param("traceparent", envelope.traceparent())
                .param("payload", EventCodec.encode(envelope))
                .update();
    }
}
