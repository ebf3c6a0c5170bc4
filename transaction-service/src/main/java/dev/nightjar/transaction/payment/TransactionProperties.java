package dev.nightjar.transaction.payment;

import dev.nightjar.transaction.domain.InquirySchedule;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param riskFallbackMaxAllowMinor when risk-service cannot answer: allow at or below this amount (minor
 *                                  units, any currency), hold for review above it
 * @param partitionMonthsAhead      monthly partitions kept ready ahead of today
 * @param retryBase                 the first inquiry about a pending payment comes this long after it went
 *                                  pending; each next one doubles the wait
 * @param retryMaxDelay             the longest wait between two inquiries
 * @param retryAttempts             inquiries queued on {@code payment_retries}; after them the recovery job
 *                                  keeps asking
 * @param recoverAfter              a payment (or refund) still waiting for an acquirer's answer this long
 *                                  after its last change is the recovery job's: longer than the longest call
 *                                  to auth-service, so the job does not ask while the first request still waits
 * @param recoveryInterval          how often the recovery job looks
 * @param recoveryConcurrency       payments the recovery job asks about at once
 * @param authFailuresToOpen        failed calls to auth-service in a row after which it counts as away and new
 *                                  work is refused with a 503 before anything is written
 * @param authAwayFor               how long it then counts as away before calls are tried again (doubling while
 *                                  they keep failing, up to {@code authAwayForMax})
 * @param authAwayForMax            the longest pause
 */
@ConfigurationProperties("nightjar.transaction")
public record TransactionProperties(
        @DefaultValue("50000") long riskFallbackMaxAllowMinor,
        @DefaultValue("3") int partitionMonthsAhead,
        @DefaultValue("2s") Duration retryBase,
        @DefaultValue("5m") Duration retryMaxDelay,
        @DefaultValue("10") int retryAttempts,
        @DefaultValue("15s") Duration recoverAfter,
        @DefaultValue("5s") Duration recoveryInterval,
        @DefaultValue("16") int recoveryConcurrency,
        @DefaultValue("5") int authFailuresToOpen,
        @DefaultValue("1s") Duration authAwayFor,
        @DefaultValue("8s") Duration authAwayForMax) {

    /** The inquiries about a payment whose outcome is unknown, as configured here. */
    public InquirySchedule inquirySchedule() {
        return new InquirySchedule(retryBase, retryMaxDelay, retryAttempts);
    }
}
