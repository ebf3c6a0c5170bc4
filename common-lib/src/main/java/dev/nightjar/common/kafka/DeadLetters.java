package dev.nightjar.common.kafka;

import dev.nightjar.contracts.event.EventCodec;
import dev.nightjar.contracts.event.EventEnvelope;
import dev.nightjar.contracts.event.Topic;
import dev.nightjar.contracts.event.Topics;
import io.micrometer.core.instrument.Counter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Decoding a consumed batch: records that are not an event envelope of the topic's payload go, as they are,
 * to the consumer group's dead-letter topic ({@code <topic>.<group>.dlt}) and the rest of the batch carries
 * on. If the dead-letter topic cannot take a record, the batch fails and is retried: nothing is dropped.
 */
public final class DeadLetters {

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);
    private static final long SEND_TIMEOUT_SECONDS = 30;

    private DeadLetters() {
    }

    /** The decodable events of {@code records}, in order; the others are dead-lettered and counted. */
    public static <P> List<EventEnvelope<P>> decode(List<ConsumerRecord<String, byte[]>> records, Topic<P> topic,
                                                    String consumerGroup, KafkaTemplate<String, byte[]> kafka,
                                                    Counter deadLettered) {
        return decodeRecords(records, topic, consumerGroup, kafka, deadLettered).stream().map(Decoded::event).toList();
    }

    /** A decoded event with the record it came from (for consumers that keep track of positions). */
    public record Decoded<P>(ConsumerRecord<String, byte[]> record, EventEnvelope<P> event) {
    }

    /** As {@link #decode}, keeping each event's record. */
    public static <P> List<Decoded<P>> decodeRecords(List<ConsumerRecord<String, byte[]>> records, Topic<P> topic,
                                                     String consumerGroup, KafkaTemplate<String, byte[]> kafka,
                                                     Counter deadLettered) {
        List<Decoded<P>> events = new ArrayList<>(records.size());
        for (ConsumerRecord<String, byte[]> record : records) {
            try {
                events.add(new Decoded<>(record, EventCodec.decode(topic, record.value())));
            } catch (RuntimeException e) {
                deadLettered.increment();
                log.error("undecodable record at {}-{}@{}, dead-lettered: {}", record.topic(), record.partition(),
                        record.offset(), e.getMessage());
                send(kafka, topic, consumerGroup, record.key(), record.value());
            }
        }
        return events;
    }

    /**
     * Sends one record, as it is, to the consumer group's dead-letter topic and waits for the broker to take
     * it; for records that decode but that the consumer still cannot process. Throws if the broker does not.
     */
    public static void send(KafkaTemplate<String, byte[]> kafka, Topic<?> topic, String consumerGroup, String key,
                            byte[] value) {
        try {
            kafka.send(new ProducerRecord<>(Topics.deadLetter(topic, consumerGroup), key, value))
                    .get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception sendFailure) {
            throw new IllegalStateException("could not dead-letter a record of " + topic.name(), sendFailure);
        }
    }
}
