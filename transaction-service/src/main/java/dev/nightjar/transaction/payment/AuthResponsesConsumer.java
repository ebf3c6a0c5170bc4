package dev.nightjar.transaction.payment;

import dev.nightjar.common.kafka.DeadLetters;
import dev.nightjar.common.kafka.NightjarKafkaConfiguration;
import dev.nightjar.common.observability.EventSpans;
import dev.nightjar.contracts.event.AuthResponseEvent;
import dev.nightjar.contracts.event.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Reads {@code auth_responses} (group {@value #CONSUMER}), every attempt's answer auth-service commits with
 * the attempt, and moves each pending payment an acquirer decided ({@link PaymentService#applyDecision}):
 * when the answer to transaction-service's own call was not known in time, the acquirer's late answer moves
 * the payment within moments instead of at the next inquiry. Usually the call's own answer has moved the
 * payment and the event changes nothing, so a batch's payments still pending are found with one look-up
 * per shard first. Deduplicated by what it changes: a payment no longer pending is left alone, and every
 * change is conditional on the version read. Records that do not decode go to
 * {@code auth_responses.transaction-decisions.dlt}.
 */
public final class AuthResponsesConsumer {

    public static final String CONSUMER = "transaction-decisions";
    /** The operations whose decision is a payment's authorization. */
    private static final Set<String> AUTHORIZATIONS = Set.of("authorize", "sale");

    private final PaymentService payments;
    private final KafkaTemplate<String, byte[]> kafka;
    private final EventSpans spans;
    private final Counter applied;
    private final Counter deadLettered;

    public AuthResponsesConsumer(PaymentService payments, KafkaTemplate<String, byte[]> kafka, MeterRegistry meters,
                                 EventSpans spans) {
        this.payments = payments;
        this.kafka = kafka;
        this.spans = spans;
        this.applied = Counter.builder("nightjar.payments.pending_resolved").tag("by", "auth_responses")
                .description("Pending payments whose outcome an inquiry learned").register(meters);
        this.deadLettered = Counter.builder("nightjar.payments.auth_responses_dead_lettered")
                .description("auth_responses records transaction-service could not decode").register(meters);
    }

    @KafkaListener(topics = "auth_responses", groupId = CONSUMER,
            containerFactory = NightjarKafkaConfiguration.EVENT_LISTENER_FACTORY,
            properties = NightjarKafkaConfiguration.PROMPT_FETCH)
    public void onBatch(List<ConsumerRecord<String, byte[]>> records) {
        List<DeadLetters.Decoded<AuthResponseEvent>> decoded = DeadLetters.decodeRecords(records, Topics.AUTH_RESPONSES,
                CONSUMER, kafka, deadLettered);
        List<AuthResponseEvent> decisions = decoded.stream().map(record -> record.event().payload())
                .filter(answer -> AUTHORIZATIONS.contains(answer.operation()) && answer.decided())
                .toList();
        spans.consume("transaction.apply_decision", decoded, spanned -> {
            // Almost every answer is about a payment its call already moved: one look-up per shard for the
            // batch finds the few still pending, and only those are read and moved one by one.
            Set<String> pending = payments.pendingAmong(decisions);
            decisions.forEach(answer -> {
                if (pending.contains(answer.paymentId()) && payments.applyDecision(answer)) {
                    applied.increment();
                }
            });
        });
    }
}
