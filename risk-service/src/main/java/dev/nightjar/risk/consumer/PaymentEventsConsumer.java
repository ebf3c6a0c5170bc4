package dev.nightjar.risk.consumer;

import dev.nightjar.common.kafka.DeadLetters;
import dev.nightjar.common.kafka.NightjarKafkaConfiguration;
import dev.nightjar.common.observability.EventSpans;
import dev.nightjar.contracts.event.EventEnvelope;
import dev.nightjar.contracts.event.PaymentEvent;
import dev.nightjar.contracts.event.Topics;
import dev.nightjar.risk.decision.DecisionLog;
import dev.nightjar.risk.decision.DecisionLog.DecisionContext;
import dev.nightjar.risk.features.FeatureDelta;
import dev.nightjar.risk.features.FeatureRepository;
import dev.nightjar.risk.features.FeatureStore;
import dev.nightjar.risk.features.PaymentEventDeltas;
import dev.nightjar.risk.rescore.Rescorer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Consumes {@code payment_events} in batches and keeps the streaming features. Per batch, one database
 * transaction marks the event ids processed (duplicates drop out there), counts each payment once, and
 * stores the batch's feature changes; only after it commits do the same changes reach the in-memory store,
 * so a failed batch is retried from scratch and a redelivered one changes nothing. Then authorized and
 * captured payments are re-scored. Offsets are committed after all of it.
 *
 * <p>Both read the decision each payment was given ({@link DecisionLog#contexts}), which risk-service logs in
 * batches that linger: a payment's event can reach this consumer before its decision, made before the event, is
 * written, here or in another instance. A batch whose newest event is younger than {@code decisionsSettle} (the
 * log's linger and a margin for the write) waits until it is that old.
 */
public final class PaymentEventsConsumer {

    public static final String CONSUMER = "risk-service";

    private record Stored(List<FeatureDelta> deltas, Map<String, DecisionContext> contexts) {
    }

    private final FeatureStore store;
    private final FeatureRepository repository;
    private final DecisionLog decisions;
    private final Rescorer rescorer;
    private final TransactionTemplate transactions;
    private final KafkaTemplate<String, byte[]> kafka;
    private final LongSupplier clockMillis;
    private final Counter applied;
    private final Counter deadLettered;
    private final EventSpans spans;
    private final Duration decisionsSettle;

    public PaymentEventsConsumer(FeatureStore store, FeatureRepository repository, DecisionLog decisions, Rescorer rescorer,
                                 TransactionTemplate transactions, KafkaTemplate<String, byte[]> kafka,
                                 LongSupplier clockMillis, MeterRegistry meters, EventSpans spans, Duration decisionsSettle) {
        this.spans = spans;
        this.decisionsSettle = decisionsSettle;
        this.store = store;
        this.repository = repository;
        this.decisions = decisions;
        this.rescorer = rescorer;
        this.transactions = transactions;
        this.kafka = kafka;
        this.clockMillis = clockMillis;
        this.applied = Counter.builder("nightjar.risk.events.applied")
                .description("Payment events applied to the streaming features").register(meters);
        this.deadLettered = Counter.builder("nightjar.risk.dead_lettered")
                .description("Events risk-service could not decode").register(meters);
    }

    @KafkaListener(topics = "payment_events", groupId = CONSUMER,
            containerFactory = NightjarKafkaConfiguration.EVENT_LISTENER_FACTORY)
    public void onBatch(List<ConsumerRecord<String, byte[]>> records) {
        List<DeadLetters.Decoded<PaymentEvent>> decoded =
                DeadLetters.decodeRecords(records, Topics.PAYMENT_EVENTS, CONSUMER, kafka, deadLettered);
        spans.consume("risk.learn", decoded, batch -> process(decoded.stream().map(DeadLetters.Decoded::event).toList()));
    }

    /** Applies a batch of decoded events exactly once; public for tests that feed events without Kafka. */
    public void process(List<EventEnvelope<PaymentEvent>> events) {
        if (events.isEmpty()) {
            return;
        }
        awaitDecisionsLogged(events);
        long now = clockMillis.getAsLong();
        Stored stored = transactions.execute(status -> store(events, now));
        store.applyAll(stored.deltas());
        applied.increment(events.size());
        rescorer.rescore(events, stored.contexts(), now);
    }

    private void awaitDecisionsLogged(List<EventEnvelope<PaymentEvent>> events) {
        long newest = events.stream().mapToLong(event -> event.occurredAt().toEpochMilli()).max().orElseThrow();
        long wait = Math.min(newest + decisionsSettle.toMillis() - clockMillis.getAsLong(), decisionsSettle.toMillis());
        if (wait <= 0) {
            return;
        }
        try {
            Thread.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Stored store(List<EventEnvelope<PaymentEvent>> events, long now) {
        Set<String> ids = new LinkedHashSet<>();
        events.forEach(event -> ids.add(event.eventId()));
        Set<String> freshIds = repository.markProcessed(CONSUMER, ids);
        List<EventEnvelope<PaymentEvent>> fresh = new ArrayList<>();
        Set<String> freshPayments = new LinkedHashSet<>();
        for (EventEnvelope<PaymentEvent> event : events) {
            // remove(): an event twice in one batch is applied once
            if (freshIds.remove(event.eventId())) {
                fresh.add(event);
                if (PaymentEventDeltas.isPaymentEvent(event) && event.payload().paymentId() != null) {
                    freshPayments.add(event.payload().paymentId());
                }
            }
        }
        Set<String> firstAttempts = repository.firstAttempts(freshPayments);
        Set<String> asked = new LinkedHashSet<>(firstAttempts);
        events.stream().filter(Rescorer::triggers).forEach(event -> asked.add(event.payload().paymentId()));
        Map<String, DecisionContext> contexts = decisions.contexts(asked);
        Map<String, String> customerIps = new HashMap<>();
        contexts.forEach((payment, context) -> {
            if (context.customerIp() != null) {
                customerIps.put(payment, context.customerIp());
            }
        });
        List<FeatureDelta> deltas = repository.write(PaymentEventDeltas.of(fresh, firstAttempts, customerIps, now));
        return new Stored(deltas, contexts);
    }
}
