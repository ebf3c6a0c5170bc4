package dev.nightjar.settlement.batch;

import dev.nightjar.settlement.reconcile.Outcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;

/**
 * Settlement's meters: {@code nightjar_settlement_batches_total{outcome}} (clean, exceptions: done with or
 * without reconciliation exceptions; failed: an attempt at a step that failed),
 * {@code nightjar_settlement_reconciliation_exceptions_total{kind}} and
 * {@code nightjar_settlement_batch_duration_seconds} (cut-off to done).
 */
public final class SettlementMetrics {

    private final MeterRegistry meters;
    private final Timer duration;

    public SettlementMetrics(MeterRegistry meters) {
        this.meters = meters;
        this.duration = Timer.builder("nightjar.settlement.batch.duration")
                .description("From a batch's creation at cut-off to its events published")
                .publishPercentileHistogram()
                .register(meters);
        for (String outcome : new String[] {"clean", "exceptions", "failed"}) {
            batches(outcome);
        }
        for (Outcome kind : Outcome.values()) {
            if (kind != Outcome.MATCHED) {
                exceptions(kind);
            }
        }
    }

    private Counter batches(String outcome) {
        return Counter.builder("nightjar.settlement.batches").description("Settlement batches finished or failed at a step")
                .tag("outcome", outcome).register(meters);
    }

    private Counter exceptions(Outcome kind) {
        return Counter.builder("nightjar.settlement.reconciliation.exceptions")
                .description("Reconciliation exceptions found, by kind").tag("kind", kind.wireName()).register(meters);
    }

    void reconciled(Map<Outcome, Integer> counts) {
        counts.forEach((kind, count) -> {
            if (kind != Outcome.MATCHED && count > 0) {
                exceptions(kind).increment(count);
            }
        });
    }

    void done(Batch batch) {
        batches(batch.hasExceptions() ? "exceptions" : "clean").increment();
        if (batch.createdAt() != null && batch.doneAt() != null) {
            duration.record(Duration.between(batch.createdAt(), batch.doneAt()));
        }
    }

    void failed() {
        batches("failed").increment();
    }
}
