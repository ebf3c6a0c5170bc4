package dev.nightjar.ledger.integrity;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;

/**
 * What the last integrity check found: {@code nightjar_ledger_integrity_ok} (1 balanced and intact, 0 a finding),
 * {@code nightjar_ledger_integrity_last_run_timestamp_seconds} (when it finished, epoch seconds) and
 * {@code nightjar_ledger_integrity_last_full_run_timestamp_seconds} (when the last check that walked every entry
 * finished). All NaN until the first check after start; a check that could not finish (a shard away) changes
 * none, so the timestamps age.
 */
public final class IntegrityGauges {

    private final Clock clock;
    private volatile double ok = Double.NaN;
    private volatile double lastRunEpochSeconds = Double.NaN;
    private volatile double lastFullRunEpochSeconds = Double.NaN;

    public IntegrityGauges(MeterRegistry meters, Clock clock) {
        this.clock = clock;
        Gauge.builder("nightjar.ledger.integrity.ok", this, gauges -> gauges.ok)
                .description("1 when the last integrity check found the ledger balanced and intact, 0 when it did not")
                .register(meters);
        Gauge.builder("nightjar.ledger.integrity.last_run_timestamp_seconds", this, gauges -> gauges.lastRunEpochSeconds)
                .description("When the last integrity check finished, in epoch seconds")
                .register(meters);
        Gauge.builder("nightjar.ledger.integrity.last_full_run_timestamp_seconds", this, gauges -> gauges.lastFullRunEpochSeconds)
                .description("When the last integrity check that walked every journal entry finished, in epoch seconds")
                .register(meters);
    }

    void checked(IntegrityCheck.Report report) {
        ok = report.ok() ? 1 : 0;
        lastRunEpochSeconds = clock.millis() / 1000.0;
        if (report.full()) {
            lastFullRunEpochSeconds = lastRunEpochSeconds;
        }
    }
}
