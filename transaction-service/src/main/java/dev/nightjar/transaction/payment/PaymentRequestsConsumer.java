package dev.nightjar.transaction.payment;

import dev.nightjar.common.kafka.DeadLetters;
import dev.nightjar.common.kafka.NightjarKafkaConfiguration;
import dev.nightjar.common.observability.EventSpans;
import dev.nightjar.contracts.event.EventType;
import dev.nightjar.contracts.event.PaymentEvent;
import dev.nightjar.contracts.event.Topics;
import dev.nightjar.transaction.domain.Payment;
import dev.nightjar.transaction.domain.PaymentState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Reads {@code payment_requests} (group {@value #CONSUMER}): each record is a payment accepted with a
 * {@code 202}, and {@link PaymentService#process} takes it through risk and the acquirer. The payments of one
 * batch are independent and are processed side by side, each on its own virtual thread, since most of the
 * time goes to waiting for risk and the acquirer. Deduplicated by the payment's state: only a {@code received}
 * payment is processed, and admitting it is conditional on its version, so a record delivered twice, or a
 * payment the recovery path got to first, is processed once. A payment that cannot be processed now (auth-service
 * away, an error) stays {@code received} and the recovery path takes it up; the batch is never retried for it.
 * Records that do not decode go to {@code payment_requests.transaction-requests.dlt}.
 */
public final class PaymentRequestsConsumer {

    public static final String CONSUMER = "transaction-requests";
    private static final Logger log = LoggerFactory.getLogger(PaymentRequestsConsumer.class);

    private final PaymentService payments;
    private final KafkaTemplate<String, byte[]> kafka;
    private final EventSpans spans;
    private final Counter processed;
    private final Counter deadLettered;

    public PaymentRequestsConsumer(PaymentService payments, KafkaTemplate<String, byte[]> kafka, MeterRegistry meters,
                                   EventSpans spans) {
        this.payments = payments;
        this.kafka = kafka;
        this.spans = spans;
        this.processed = Counter.builder("nightjar.payments.requests_processed")
                .description("Payments accepted asynchronously that payment_requests' consumer processed").register(meters);
        this.deadLettered = Counter.builder("nightjar.payments.payment_requests_dead_lettered")
                .description("payment_requests records transaction-service could not decode").register(meters);
    }

    @KafkaListener(topics = "payment_requests", groupId = CONSUMER,
            containerFactory = NightjarKafkaConfiguration.EVENT_LISTENER_FACTORY,
            properties = NightjarKafkaConfiguration.PROMPT_FETCH)
    public void onBatch(List<ConsumerRecord<String, byte[]>> records) {
        List<DeadLetters.Decoded<PaymentEvent>> decoded = DeadLetters.decodeRecords(records, Topics.PAYMENT_REQUESTS,
                CONSUMER, kafka, deadLettered);
        spans.consume("transaction.process_request", decoded, spanned -> {
            try (ExecutorService each = Executors.newVirtualThreadPerTaskExecutor()) {
                for (DeadLetters.Decoded<PaymentEvent> record : decoded) {
                    if (EventType.PAYMENT_REQUESTED.typeOf(record.event())) {
                        each.submit(() -> process(record.event().payload()));
                    }
                }
            }
        });
    }

    private void process(PaymentEvent request) {
        try {
            Payment after = payments.process(request.merchantId(), request.paymentId());
            if (after != null && after.status() != PaymentState.RECEIVED) {
                processed.increment();
            }
        } catch (RuntimeException e) {
            // it stays received; the recovery path processes it later
            log.warn("payment {} stays received for the recovery path: {}", request.paymentId(), e.getMessage());
        }
    }
}
