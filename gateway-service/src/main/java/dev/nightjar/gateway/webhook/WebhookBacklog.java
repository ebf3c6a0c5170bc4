package dev.nightjar.gateway.webhook;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@code nightjar_webhooks_backlog}: deliveries due now and not yet delivered (pending, their next attempt's time
 * come), counted over the partial index of due deliveries every {@link #INTERVAL} by a {@code PeriodicSample}.
 * Deliveries being sent right now are leased into the future and do not count; neither do those waiting out a
 * backoff. Unknown (NaN) while the database cannot be read.
 */
public final class WebhookBacklog {

    public static final Duration INTERVAL = Duration.ofSeconds(5);

    private final JdbcClient jdbc;
    private volatile double due = Double.NaN;

    public WebhookBacklog(JdbcClient jdbc, MeterRegistry meters) {
        this.jdbc = jdbc;
        Gauge.builder("nightjar.webhooks.backlog", this, backlog -> backlog.due)
                .description("Webhook deliveries due and not yet delivered")
                .register(meters);
    }

    /** Counts again; what the gauge shows until the next call. */
    public void refresh() {
        try {
            due = jdbc.sql("SELECT count(*) FROM webhook_deliveries WHERE status = 'pending' AND next_attempt_at <= now()")
                    .query(Long.class).single();
        } catch (RuntimeException e) {
            due = Double.NaN;
            throw e;
        }
    }
}
