package dev.nightjar.common.observability;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.springframework.kafka.core.KafkaProducerException;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.support.SendResult;
import org.springframework.kafka.support.micrometer.KafkaTemplateObservation.TemplateLowCardinalityTags;

/**
 * Kafka sends of events made in a trace nobody records, without an observation. An observed {@code KafkaTemplate}
 * made one for each such send all the same (a context, the convention's tags, every handler asked, a scope opened
 * around the send and again around its acknowledgement), and the outbox relay a producer span nobody records
 * around it: about 1 % of transaction-service's and auth-service's CPU (docs/performance.md, "Events in an
 * unrecorded trace, and merchants' requests nobody traces, without an observation").
 * <p>
 * A send here goes through a template on the same producer with no observation: the record carries the event's
 * {@code traceparent} as it was written, so its consumers log the same trace and record nothing either, and the send
 * is counted in the observed template's timer ({@code spring.kafka.template}) with the tags its convention and the
 * meter handler give it, from the send until the broker's acknowledgement, as the observation times it.
 */
public final class UnrecordedKafkaSends<K, V> {

    /** The timer of Spring's Kafka template observation. */
    static final String TIMER = "spring.kafka.template";

    private final KafkaTemplate<K, V> template;
    private final String templateName;
    private final KeptTimers<KeptTimers.Key> timers;

    /**
     * @param producers    the producers of the observed template, whose sends these stand in for
     * @param templateName that template's bean name, its timer's {@code spring.kafka.template.name} tag
     */
    public UnrecordedKafkaSends(ProducerFactory<K, V> producers, String templateName, MeterRegistry registry) {
        this.template = new KafkaTemplate<>(producers);
        this.templateName = templateName;
        this.timers = new KeptTimers<>(registry, key -> registry.timer(TIMER, tags(key)));
    }

    /** Sends {@code record} with {@code traceparent} as its header, counted when the broker acknowledges it or fails. */
    public CompletableFuture<SendResult<K, V>> send(ProducerRecord<K, V> record, String traceparent) {
        record.headers().add(new RecordHeader(EventSpans.TRACEPARENT, traceparent.getBytes(StandardCharsets.UTF_8)));
        long start = timers.now();
        CompletableFuture<SendResult<K, V>> sent;
        try {
            sent = template.send(record);
        } catch (RuntimeException e) {
            record(record.topic(), start, e);
            throw e;
        }
        sent.whenComplete((result, error) -> record(record.topic(), start, error));
        return sent;
    }

    /** Counts a send, with the error the observation takes: the producer's, which the template's own wraps. */
    private void record(String topic, long start, Throwable error) {
        long took = timers.now() - start;
        Throwable named = error instanceof KafkaProducerException && error.getCause() != null ? error.getCause() : error;
        timers.timer(new KeptTimers.Key(topic, null, null, 0, named == null ? null : named.getClass()))
                .record(took, TimeUnit.NANOSECONDS);
    }

    /** The tags of {@code DefaultKafkaTemplateObservationConvention} and the meter handler's {@code error} tag. */
    private List<Tag> tags(KeptTimers.Key key) {
        return List.of(
                Tag.of(TemplateLowCardinalityTags.BEAN_NAME.asString(), templateName),
                Tag.of(TemplateLowCardinalityTags.MESSAGING_SYSTEM.asString(), "kafka"),
                Tag.of(TemplateLowCardinalityTags.MESSAGING_OPERATION.asString(), "publish"),
                Tag.of(TemplateLowCardinalityTags.MESSAGING_DESTINATION_KIND.asString(), "topic"),
                Tag.of(TemplateLowCardinalityTags.MESSAGING_DESTINATION_NAME.asString(), key.first),
                Tag.of("error", key.errorTag()));
    }

    int kept() {
        return timers.size();
    }
}
