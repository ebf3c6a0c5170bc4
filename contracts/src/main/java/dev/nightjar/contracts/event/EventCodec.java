package dev.nightjar.contracts.event;

import dev.nightjar.contracts.id.Ids;
import dev.nightjar.contracts.json.Json;
import java.time.Instant;
import tools.jackson.databind.JavaType;

/** Event envelopes to and from the JSON bytes that travel on Kafka and sit in outboxes. */
public final class EventCodec {

    public static final int CURRENT_VERSION = 1;

    private EventCodec() {
    }

    public static <P> EventEnvelope<P> envelope(String type, String key, P payload, String traceparent) {
        return new EventEnvelope<>(Ids.newId(Ids.EVENT), type, CURRENT_VERSION, Instant.now(), key, traceparent, payload);
    }

    public static byte[] encode(EventEnvelope<?> envelope) {
        return Json.MAPPER.writeValueAsBytes(envelope);
    }

    public static <P> EventEnvelope<P> decode(Topic<P> topic, byte[] bytes) {
        JavaType type = Json.MAPPER.getTypeFactory().constructParametricType(EventEnvelope.class, topic.payloadType());
        return Json.MAPPER.readValue(bytes, type);
    }
}
