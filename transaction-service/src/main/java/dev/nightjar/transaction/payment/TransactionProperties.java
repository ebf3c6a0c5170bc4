package dev.nightjar.transaction.payment;

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
 * @param recoverAfter              a payment pending (or stuck authorizing) this long is the recovery job's
 * @param recoveryInterval          how often the recovery job looks
 */
@ConfigurationProperties("nightjar.transaction")
public record TransactionProperties(
        @DefaultValue("50000") long riskFallbackMaxAllowMinor,
        @DefaultValue("3") int partitionMonthsAhead,
        @DefaultValue("2s") Duration retryBase,
        @DefaultValue("5m") Duration retryMaxDelay,
        @DefaultValue("10") int retryAttempts,
        @DefaultValue("2m") Duration recoverAfter,
        @DefaultValue("30s") Duration recoveryInterval) {

    /** The wait before inquiry {@code attempt} (1-based). */
    public Duration retryDelay(int attempt) {
        long millis = retryBase.toMillis() << Math.min(Math.max(attempt - 1, 0), 20);
        return millis <= 0 || millis > retryMaxDelay.toMillis() ? retryMaxDelay : Duration.ofMillis(millis);
    }
}
