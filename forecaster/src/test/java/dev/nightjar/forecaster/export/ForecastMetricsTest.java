package dev.nightjar.forecaster.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The forecast series across fits: a series keeps its gauge. Replacing it (remove, register again) while Prometheus
 * scrapes can put the series in the scrape twice and fail the whole scrape with a duplicate-labels error.
 */
class ForecastMetricsTest {

    private static final String RATE = "nightjar.forecast.requests.per.second";
    private static final String ERROR = "nightjar.forecast.fit.error.ratio";

    @Test
    void aSeriesKeepsItsGaugeAcrossFitsAndShowsTheNewValue() {
        try (ForecastMetrics metrics = new ForecastMetrics()) {
            metrics.publish(List.of(forecast("gateway-service", 10.0, 0.1)), Instant.ofEpochSecond(1_000));
            Gauge rate = rate(metrics, "gateway-service");
            Gauge error = error(metrics, "gateway-service");

            metrics.publish(List.of(forecast("gateway-service", 12.5, 0.2), forecast("vault-service", 3.0, 0.3)),
                    Instant.ofEpochSecond(2_000));

            assertThat(rate(metrics, "gateway-service")).as("the same rate gauge, not a new one").isSameAs(rate);
            assertThat(error(metrics, "gateway-service")).as("the same error gauge, not a new one").isSameAs(error);
            assertThat(rate.value()).isEqualTo(12.5);
            assertThat(error.value()).isEqualTo(0.2);
            assertThat(rate(metrics, "vault-service").value()).isEqualTo(3.0);
            assertThat(metrics.scrape()).contains("nightjar_forecast_last_fit_timestamp_seconds 2000.0");

            metrics.publish(List.of(forecast("vault-service", 4.0, 0.3)), Instant.ofEpochSecond(3_000));
            assertThat(metrics.registry().find(RATE).tag("service", "gateway-service").gauge())
                    .as("a service without a forecast drops out").isNull();
            assertThat(metrics.registry().find(ERROR).tag("service", "gateway-service").gauge()).isNull();
            assertThat(metrics.scrape()).doesNotContain("service=\"gateway-service\"");

            metrics.publish(List.of(forecast("gateway-service", 7.0, 0.4)), Instant.ofEpochSecond(4_000));
            assertThat(rate(metrics, "gateway-service").value()).as("and comes back with its new value").isEqualTo(7.0);
        }
    }

    private static ForecastMetrics.ServiceForecast forecast(String service, double rate, double error) {
        return new ForecastMetrics.ServiceForecast(service, Map.of("5m", rate), error);
    }

    private static Gauge rate(ForecastMetrics metrics, String service) {
        return metrics.registry().get(RATE).tag("service", service).tag("horizon", "5m").gauge();
    }

    private static Gauge error(ForecastMetrics metrics, String service) {
        return metrics.registry().get(ERROR).tag("service", service).gauge();
    }
}
