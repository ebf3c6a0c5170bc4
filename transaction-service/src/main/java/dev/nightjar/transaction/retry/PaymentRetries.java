package dev.nightjar.transaction.retry;

import dev.nightjar.common.kafka.DeadLetters;
import dev.nightjar.common.kafka.NightjarKafkaConfiguration;
import dev.nightjar.contracts.event.EventEnvelope;
import dev.nightjar.contracts.event.PaymentRetryEvent;
import dev.nightjar.contracts.event.Topics;
import dev.nightjar.transaction.domain.InquirySchedule;
import dev.nightjar.transaction.domain.Payment;
import dev.nightjar.transaction.payment.Collaborators;
import dev.nightjar.transaction.payment.PaymentRefusedException;
import dev.nightjar.transaction.payment.PaymentRepository;
import dev.nightjar.transaction.payment.PaymentService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Inquiries about pending payments, from {@code payment_retries}. Each waits for its time, asks again
 * (the same authorization, so the same reference: the acquirer answers what it did, it never charges
 * twice), and when the answer is still unknown queues the next inquiry with a doubled wait
 * ({@link InquirySchedule}). After the last one the recovery job keeps asking. Every inquiry queued here
 * leaves through the outbox of the payment's shard, as the first one does; the consumer writes nothing to
 * Kafka itself but dead letters. A message that is not due within a short while is put back rather than
 * waited for, so one slow retry never holds the partition; the messages of one batch wait and
 * ask side by side (on virtual threads), so a batch takes as long as its latest inquiry, not their sum.
 * While auth-service counts as away nothing is asked: the inquiry is queued again for its next turn.
 */
public final class PaymentRetries {

    public static final String CONSUMER = "transaction-service";
    private static final Duration LONGEST_WAIT = Duration.ofSeconds(20);
    private static final Logger log = LoggerFactory.getLogger(PaymentRetries.class);

    private final PaymentService payments;
    private final PaymentRepository repository;
    private final Collaborators collaborators;
    private final KafkaTemplate<String, byte[]> kafka;
    private final InquirySchedule schedule;
    private final Clock clock;
    private final Counter resolved;
    private final Counter requeued;
    private final Counter deadLettered;

    public PaymentRetries(PaymentService payments, PaymentRepository repository, Collaborators collaborators,
                          KafkaTemplate<String, byte[]> kafka, InquirySchedule schedule, Clock clock, MeterRegistry meters) {
        this.payments = payments;
        this.repository = repository;
        this.collaborators = collaborators;
        this.kafka = kafka;
        this.schedule = schedule;
        this.clock = clock;
        this.resolved = Counter.builder("nightjar.payments.pending_resolved").tag("by", "retry")
                .description("Pending payments whose outcome an inquiry learned").register(meters);
        this.requeued = Counter.builder("nightjar.payments.retries_queued")
                .description("Inquiries queued again because the outcome was still unknown").register(meters);
        this.deadLettered = Counter.builder("nightjar.payments.retries_dead_lettered")
                .description("payment_retries records that could not be decoded").register(meters);
    }

    @KafkaListener(topics = "payment_retries", groupId = CONSUMER,
            containerFactory = NightjarKafkaConfiguration.EVENT_LISTENER_FACTORY)
    public void onBatch(List<ConsumerRecord<String, byte[]>> records) throws InterruptedException {
        List<EventEnvelope<PaymentRetryEvent>> retries = DeadLetters.decode(records, Topics.PAYMENT_RETRIES, CONSUMER,
                kafka, deadLettered);
        try (var inquiries = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>(retries.size());
            for (EventEnvelope<PaymentRetryEvent> envelope : retries) {
                done.add(inquiries.submit(() -> {
                    handle(envelope);
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> inquiry : done) {
                try {
                    inquiry.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    // the batch is delivered again (offsets not committed); every inquiry is idempotent
                    throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
                }
            }
        }
    }

    void handle(EventEnvelope<PaymentRetryEvent> envelope) throws InterruptedException {
        PaymentRetryEvent retry = envelope.payload();
        Duration wait = Duration.between(clock.instant(), retry.notBefore());
        if (wait.compareTo(LONGEST_WAIT) > 0) {
            repository.requeue(retry, retry.notBefore());
            return;
        }
        if (!wait.isNegative()) {
            Thread.sleep(wait);
        }
        if (collaborators.authIsAway()) {
            repository.requeue(retry, clock.instant().plus(schedule.delay(retry.attempt())));
            return;
        }
        Payment payment;
        try {
            payment = payments.resolve(retry.merchantId(), retry.paymentId());
        } catch (PaymentRefusedException e) {
            log.warn("retry of payment {} could not run ({}); the recovery job will", retry.paymentId(), e.getMessage());
            return;
        }
        schedule.after(payment, retry.attempt()).ifPresentOrElse(next -> {
            repository.queue(payment, next, clock.instant());
            requeued.increment();
        }, () -> {
            if (!payment.status().awaitsTheAuthorization()) {
                resolved.increment();
            }
        });
    }
}
