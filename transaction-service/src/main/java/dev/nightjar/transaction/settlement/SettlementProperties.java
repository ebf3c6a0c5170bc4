package dev.nightjar.transaction.settlement;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How transaction-service keeps up with settlement ({@code nightjar.transaction.settlements.*}).
 *
 * @param parkedRetryInterval       how often parked settlements are decided again
 * @param parkedRetryBatch          parked settlements decided again per shard and run (those waiting for a
 *                                  capture first, then the longest due)
 * @param parkedRetryMaxWait        the longest a parked settlement that does not wait for a capture waits
 *                                  between tries: its wait doubles from {@code parkedRetryInterval} with each
 *                                  try that leaves it parked
 * @param processedEventsKept       how long an applied event's id is kept against redelivery: longer than
 *                                  {@code settlement_events} keeps events (7 days)
 * @param processedEventsPurgeBatch deduplication records forgotten per shard and run at most
 */
@ConfigurationProperties("nightjar.transaction.settlements")
public record SettlementProperties(
        @DefaultValue("30s") Duration parkedRetryInterval,
        @DefaultValue("100") int parkedRetryBatch,
        @DefaultValue("6h") Duration parkedRetryMaxWait,
        @DefaultValue("30d") Duration processedEventsKept,
        @DefaultValue("10000") int processedEventsPurgeBatch) {

    public SettlementProperties {
        if (parkedRetryInterval.isNegative() || parkedRetryInterval.isZero()) {
            throw new IllegalArgumentException("parked-retry-interval must be positive");
        }
        if (parkedRetryMaxWait.compareTo(parkedRetryInterval) < 0) {
            throw new IllegalArgumentException("parked-retry-max-wait must be at least parked-retry-interval");
        }
        if (parkedRetryBatch < 1 || parkedRetryBatch > 10_000) {
            throw new IllegalArgumentException("parked-retry-batch must be from 1 to 10000");
        }
        if (processedEventsKept.compareTo(Duration.ofDays(8)) < 0) {
            throw new IllegalArgumentException("processed-events-kept must be longer than settlement_events keeps events (7 days)");
        }
        if (processedEventsPurgeBatch < 1 || processedEventsPurgeBatch > 100_000) {
            throw new IllegalArgumentException("processed-events-purge-batch must be from 1 to 100000");
        }
    }
}
