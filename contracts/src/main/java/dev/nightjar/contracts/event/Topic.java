package dev.nightjar.contracts.event;

/** A Kafka topic and the payload type its events carry; declared once in {@link Topics}. */
public record Topic<P>(String name, Class<P> payloadType, boolean compacted) {
}
