package dev.nightjar.settlement.batch;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Settlement batches by the step they are at ({@code state}: created, submitted, reported, reconciled, posted,
 * done), counted every {@link #INTERVAL} by a {@code PeriodicSample}: a batch that stays short of done past its
 * cut-off is stuck. Exported as {@code nightjar_settlement_batches_by_state{state}}, because
 * {@code nightjar_settlement_batches} is the family of the counter {@code nightjar_settlement_batches_total}
 * and Prometheus allows one type per family. A handful of rows a day, so one grouped count is cheap. Unknown
 * (NaN) while the database cannot be read.
 */
public final class BatchStates {

    public static final String METRIC = "nightjar.settlement.batches.by_state";
    public static final Duration INTERVAL = Duration.ofSeconds(10);

    private final JdbcClient jdbc;
    private volatile Map<BatchStep, Double> counts = filled(Double.NaN);

    public BatchStates(JdbcClient jdbc, MeterRegistry meters) {
        this.jdbc = jdbc;
        for (BatchStep step : BatchStep.values()) {
            Gauge.builder(METRIC, this, states -> states.counts.get(step))
                    .description("Settlement batches at each step")
                    .tag("state", step.wireName())
                    .register(meters);
        }
    }

    /** Counts again; what the gauges show until the next call. */
    public void refresh() {
        Map<BatchStep, Double> now = filled(0);
        try {
            jdbc.sql("SELECT step, count(*) FROM settlement_batches GROUP BY step")
                    .query((java.sql.ResultSet rs) -> {
                        now.put(BatchStep.of(rs.getString(1)), (double) rs.getLong(2));
                    });
        } catch (RuntimeException e) {
            counts = filled(Double.NaN);
            throw e;
        }
        counts = now;
    }

    private static Map<BatchStep, Double> filled(double value) {
        Map<BatchStep, Double> counts = new EnumMap<>(BatchStep.class);
        for (BatchStep step : BatchStep.values()) {
            counts.put(step, value);
        }
        return counts;
    }
}
