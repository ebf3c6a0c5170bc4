package dev.nightjar.transaction.payment;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param riskFallbackMaxAllowMinor when risk-service cannot answer: allow at or below this amount (minor
 *                                  units, any currency), hold for review above it
 * @param partitionMonthsAhead      monthly partitions kept ready ahead of today
 */
@ConfigurationProperties("nightjar.transaction")
public record TransactionProperties(
        @DefaultValue("50000") long riskFallbackMaxAllowMinor,
        @DefaultValue("3") int partitionMonthsAhead) {
}
