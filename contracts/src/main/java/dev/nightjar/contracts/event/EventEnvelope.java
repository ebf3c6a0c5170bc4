package dev.nightjar.contracts.event;

import java.time.Instant;
import java.util.Objects;

/**
 * The versioned envelope every Kafka event travels in.
 *
 * @param eventId    globally unique ({@code evt_…}); consumers deduplicate on it
 * @param type       what happened, e.g. {@code payment.captured}
 * @param version    the payload's schema version; bumped on an incompatible change
 * @param occurredAt when it happened at the source
 * @param key        the partition key: the merchant id, so one merchant's events stay in order
 * @param traceparent W3C trace context of the operation that produced the event, or null
 * @param payload    the event itself
 */
public record EventEnvelope<P>(String eventId, String type, int version, Instant occurredAt,
                               String key, String traceparent, P payload) {

    public EventEnvelope {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(payload, "payload");
        if (version < 1) {
            throw new IllegalArgumentException("event version must be at least 1");
        }
    }
}
