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
 * <p>The table comes from common-lib's shared migration: add {@code classpath:db/outbox} to the
 * service's Flyway locations.
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
