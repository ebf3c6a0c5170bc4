package dev.nightjar.common.outbox;

import dev.nightjar.common.lifecycle.PeriodicSample;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * How far one outbox's relay is behind: {@code nightjar_outbox_backlog{outbox}} (rows written, not yet
 * published) and {@code nightjar_outbox_oldest_seconds{outbox}} (the age of the oldest of them, 0 when there
 * is none), sampled every {@link #INTERVAL}. Both come from the primary key alone: the relay deletes what it
 * published, so the rows left span the ids from the lowest to the highest, and the lowest is the oldest. The
 * count is that span, exact but for ids of inserts that were rolled back (an upper bound then); it costs two
 * index lookups however long the outbox grew during a broker outage, where {@code count(*)} would read it all.
 * Unknown (NaN) while the database cannot be read.
 */
public final class OutboxGauges {

    static final Duration INTERVAL = Duration.ofSeconds(5);

    private final JdbcClient jdbc;
    private final PeriodicSample sample;
    private volatile double backlog = Double.NaN;
    private volatile double oldestSeconds = Double.NaN;

    public OutboxGauges(String outbox, DataSource dataSource, MeterRegistry meters) {
        this.jdbc = JdbcClient.create(dataSource);
        this.sample = new PeriodicSample("outbox-" + outbox, INTERVAL, this::refresh);
        Gauge.builder("nightjar.outbox.backlog", this, gauges -> gauges.backlog)
                .description("Events written to the outbox and not yet published to Kafka")
                .tag("outbox", outbox).register(meters);
        Gauge.builder("nightjar.outbox.oldest_seconds", this, gauges -> gauges.oldestSeconds)
                .description("Age of the oldest event not yet published (0 when none): the relay's lag")
                .tag("outbox", outbox).register(meters);
    }

    /** Samples now; for tests. */
    public void refresh() {
        try {
            // NULLs (an empty outbox) read as 0
            double[] row = jdbc.sql("""
                            SELECT max(id) - min(id) + 1,
                                   EXTRACT(EPOCH FROM clock_timestamp() - (SELECT created_at FROM outbox ORDER BY id LIMIT 1))
                            FROM outbox""")
                    .query((rs, n) -> new double[] {rs.getLong(1), rs.getDouble(2)})
                    .single();
            backlog = row[0];
            oldestSeconds = Math.max(0, row[1]);
        } catch (RuntimeException e) {
            backlog = Double.NaN;
            oldestSeconds = Double.NaN;
            throw e;
        }
    }

    /** Starts sampling; the owning relay starts and stops it with itself. */
    public void start() {
        sample.start();
    }

    public void stop() {
        sample.stop();
    }
}
