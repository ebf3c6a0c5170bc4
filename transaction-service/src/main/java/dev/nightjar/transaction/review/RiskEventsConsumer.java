package dev.nightjar.transaction.review;

import dev.nightjar.common.kafka.DeadLetters;
import dev.nightjar.common.kafka.NightjarKafkaConfiguration;
import dev.nightjar.common.observability.EventSpans;
import dev.nightjar.contracts.event.EventType;
import dev.nightjar.contracts.event.RiskEvent;
import dev.nightjar.contracts.event.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Reads {@code risk_events} (group {@value PaymentFlags#CONSUMER}): each {@code risk.flagged} puts the payment
 * re-scoring judged risky after its authorization in the merchant's review queue ({@link PaymentFlags}),
 * deduplicated by event id. A failure to apply fails the batch, which is delivered again (the flags already
 * applied are skipped by their event ids). Records that do not decode go to
 * {@code risk_events.transaction-reviews.dlt}.
 */
public final class RiskEventsConsumer {

    private final PaymentFlags flags;
    private final KafkaTemplate<String, byte[]> kafka;
    private final EventSpans spans;
    private final Counter flagged;
    private final Counter deadLettered;

    public RiskEventsConsumer(PaymentFlags flags, KafkaTemplate<String, byte[]> kafka, MeterRegistry meters, EventSpans spans) {
        this.flags = flags;
        this.kafka = kafka;
        this.spans = spans;
        this.flagged = Counter.builder("nightjar.payments.flagged_for_review")
                .description("Payments put in the review queue by a risk flag after their authorization").register(meters);
        this.deadLettered = Counter.builder("nightjar.payments.risk_events_dead_lettered")
                .description("risk_events records transaction-service could not decode").register(meters);
    }

    @KafkaListener(topics = "risk_events", groupId = PaymentFlags.CONSUMER,
            containerFactory = NightjarKafkaConfiguration.EVENT_LISTENER_FACTORY)
    public void onBatch(List<ConsumerRecord<String, byte[]>> records) {
        List<DeadLetters.Decoded<RiskEvent>> decoded = DeadLetters.decodeRecords(records, Topics.RISK_EVENTS,
                PaymentFlags.CONSUMER, kafka, deadLettered);
        spans.consume("transaction.flag_for_review", decoded, spanned -> decoded.forEach(record -> {
            if (EventType.RISK_FLAGGED.typeOf(record.event()) && flags.flag(record.event().eventId(), record.event().payload())) {
                flagged.increment();
            }
        }));
    }
}
