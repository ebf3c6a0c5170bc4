package dev.nightjar.settlement.batch;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.scheduling.support.CronExpression;

/**
 * Settlement's settings ({@code nightjar.settlement.*}).
 *
 * @param cutoff         when the daily cut-off runs: a cron expression in UTC, or {@code -} for never (then only
 *                       {@code POST /internal/v1/cutoffs} runs it)
 * @param resumeEvery    how often unfinished batches are taken up again between cut-offs (and once at startup)
 * @param publishWait    how long a run waits for a posted batch's events to leave the outbox before leaving
 *                       the batch posted for the next run to finish
 * @param maxBatchLines  the most items one batch carries; a larger backlog is split over several batches, taken one
 *                       after the other. Each step holds its batch's lines in memory, so this bounds the heap a
 *                       cut-off needs: 200,000 (the default until 2026-12-05) ran the local service (192 MB of heap)
 *                       out of memory at a busy day's cut-off, and again at every start after it, since a start
 *                       resumes the batch (docs/settlement.md)
 * @param acquirerFees   each acquirer's contracted fee in basis points, which its reported fees are checked against
 * @param failAfterStep  test hook: fail every run right after a batch reaches this step
 */
@ConfigurationProperties("nightjar.settlement")
public record SettlementProperties(
        @DefaultValue("0 0 22 * * *") String cutoff,
        @DefaultValue("1m") Duration resumeEvery,
        @DefaultValue("10s") Duration publishWait,
        @DefaultValue("50000") int maxBatchLines,
        Map<String, Integer> acquirerFees,
        String failAfterStep) {

    /** The fee assumed for an acquirer without a configured one. */
    public static final int DEFAULT_FEE_BASIS_POINTS = 90;
    public static final String NEVER = "-";

    public SettlementProperties {
        if (!NEVER.equals(cutoff) && !CronExpression.isValidExpression(cutoff)) {
            throw new IllegalArgumentException("nightjar.settlement.cutoff is not a cron expression: " + cutoff);
        }
        if (resumeEvery.isNegative() || resumeEvery.isZero() || publishWait.isNegative()) {
            throw new IllegalArgumentException("nightjar.settlement.resume-every must be positive, publish-wait not negative");
        }
        if (maxBatchLines < 1 || maxBatchLines > 1_000_000) {
            throw new IllegalArgumentException("nightjar.settlement.max-batch-lines must be from 1 to 1000000");
        }
        acquirerFees = acquirerFees == null ? Map.of() : Map.copyOf(acquirerFees);
        acquirerFees.forEach((acquirer, basisPoints) -> {
            if (basisPoints == null || basisPoints < 0 || basisPoints > 10_000) {
                throw new IllegalArgumentException("nightjar.settlement.acquirer-fees." + acquirer
                        + " must be from 0 to 10000 basis points");
            }
        });
        if (failAfterStep != null && !failAfterStep.isBlank()) {
            BatchStep.of(failAfterStep);
        }
    }

    public int feeBasisPoints(String acquirer) {
        return acquirerFees.getOrDefault(acquirer, DEFAULT_FEE_BASIS_POINTS);
    }

    public BatchStep failAfter() {
        return failAfterStep == null || failAfterStep.isBlank() ? null : BatchStep.of(failAfterStep);
    }
}
