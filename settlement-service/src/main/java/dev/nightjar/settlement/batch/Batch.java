package dev.nightjar.settlement.batch;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;

/**
 * A settlement batch as operators see it: one acquirer and currency at one cut-off, its step, the ledger's
 * totals, the acquirer's reported totals (once reported) and the count of each reconciliation outcome
 * (once reconciled). Amounts are signed minor units: captures less refunds.
 *
 * @param attempts  failed attempts at the next step since the last one that succeeded
 * @param lastError why the last attempt failed, while the batch is stuck
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Batch(String id, String object, String acquirer, String currency, Instant cutoffAt, LocalDate settlementDate,
                    BatchStep step, int itemCount, long itemsAmountMinor, Integer reportLineCount,
                    Long reportedAmountMinor, Long acquirerFeeMinor, Map<String, Integer> outcomes, int attempts,
                    String lastError, Instant createdAt, Instant submittedAt, Instant reportedAt, Instant reconciledAt,
                    Instant postedAt, Instant doneAt) {

    public static final String OBJECT = "settlement_batch";

    /** Reconciliation found something a person must look at. */
    public boolean hasExceptions() {
        return outcomes != null && outcomes.entrySet().stream()
                .anyMatch(entry -> !"matched".equals(entry.getKey()) && entry.getValue() > 0);
    }
}
