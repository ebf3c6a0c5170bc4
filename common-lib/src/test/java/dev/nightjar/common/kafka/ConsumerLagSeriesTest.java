package dev.nightjar.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The lag gauge's series across refreshes: a series keeps its gauge. Replacing it (remove, register again) while
 * Prometheus scrapes can put the series in the scrape twice and fail the whole scrape with a duplicate-labels
 * error, as a restarted gateway-service and risk-service each did once.
 */
class ConsumerLagSeriesTest {

    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ConsumerLag lag = new ConsumerLag(List::of, meters);

    @Test
    void aSeriesKeepsItsGaugeAcrossRefreshesAndShowsTheNewValue() {
        lag.show(List.of(new ConsumerLag.Lag("gateway-service", "payment_events", 5)));
        Gauge first = gauge("payment_events");

        lag.show(List.of(new ConsumerLag.Lag("gateway-service", "payment_events", 2),
                new ConsumerLag.Lag("gateway-service", "refund_events", 1)));

        assertThat(gauge("payment_events")).as("the same gauge, not a new one").isSameAs(first);
        assertThat(first.value()).isEqualTo(2.0);
        assertThat(gauge("refund_events").value()).isEqualTo(1.0);

        lag.show(List.of(new ConsumerLag.Lag("gateway-service", "refund_events", 0)));
        assertThat(meters.find(ConsumerLag.METRIC).tag("topic", "payment_events").gauge())
                .as("a topic no longer consumed here drops out").isNull();
        lag.show(List.of(new ConsumerLag.Lag("gateway-service", "payment_events", 7)));
        assertThat(gauge("payment_events").value()).as("and comes back with its new value").isEqualTo(7.0);
    }

    private Gauge gauge(String topic) {
        return meters.get(ConsumerLag.METRIC).tag("topic", topic).gauge();
    }
}
