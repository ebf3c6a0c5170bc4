package dev.nightjar.transaction.payment;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * The backstop: payments pending (or left authorizing by a crash) longer than {@code recoverAfter} are
 * asked about again, whatever happened to their queued inquiries. Safe to run on several replicas at
 * once: an inquiry is idempotent at the acquirer and every state change is conditional on the version.
 */
public final class PendingRecovery {

    private static final Logger log = LoggerFactory.getLogger(PendingRecovery.class);

    private final PaymentRepository repository;
    private final PaymentService payments;
    private final TransactionProperties properties;
    private final Counter resolved;

    public PendingRecovery(PaymentRepository repository, PaymentService payments, TransactionProperties properties,
                           MeterRegistry meters) {
        this.repository = repository;
        this.payments = payments;
        this.properties = properties;
        this.resolved = Counter.builder("nightjar.payments.pending_resolved").tag("by", "recovery")
                .description("Pending payments whose outcome an inquiry learned").register(meters);
    }

    @Scheduled(fixedDelayString = "${nightjar.transaction.recovery-interval:30s}", initialDelayString = "10s")
    public void recover() {
        int stillOpen = 0;
        for (Payment stuck : repository.unresolved(properties.recoverAfter(), 100)) {
            try {
                Payment after = payments.resolve(stuck.merchantId(), stuck.id());
                if (after.status() == PaymentStatus.PENDING || after.status() == PaymentStatus.AUTHORIZING) {
                    stillOpen++;
                } else {
                    resolved.increment();
                }
            } catch (RuntimeException e) {
                stillOpen++;
                log.warn("recovery of payment {} failed: {}", stuck.id(), e.getMessage());
            }
        }
        if (stillOpen > 0) {
            log.warn("{} payments still without a known outcome after recovery", stillOpen);
        }
    }
}
