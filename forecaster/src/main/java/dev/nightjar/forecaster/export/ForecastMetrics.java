package dev.nightjar.forecaster.export;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the forecaster exports: {@code nightjar_forecast_requests_per_second{service,horizon}},
 * {@code nightjar_forecast_fit_error_ratio{service}} and {@code nightjar_forecast_last_fit_timestamp_seconds}, plus
 * its own JVM's metrics (labelled {@code service="forecaster"}). A service without a forecast has no series at all.
 */
public final class ForecastMetrics implements AutoCloseable {

    /** The {@code service} label of the forecaster's own JVM metrics. */
    public static final String OWN_SERVICE = "forecaster";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MultiGauge forecasts = MultiGauge.builder("nightjar.forecast.requests.per.second")
            .description("Forecast request rate of a service, a horizon ahead")
            .register(registry);
    private final MultiGauge fitErrors = MultiGauge.builder("nightjar.forecast.fit.error.ratio")
            .description("One-step-ahead mean absolute percentage error of the service's model over the last day, as a ratio")
            .register(registry);
    /** One holder per series, for as long as the forecaster runs: its gauge reads it, a publish writes it. */
    private final Map<Tags, Value> rateValues = new ConcurrentHashMap<>();
    private final Map<Tags, Value> errorValues = new ConcurrentHashMap<>();
    private final AtomicReference<Double> lastFitSeconds = new AtomicReference<>();
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics(Tags.of("service", OWN_SERVICE));

    public ForecastMetrics() {
        Tags own = Tags.of("service", OWN_SERVICE);
        new JvmMemoryMetrics(own).bindTo(registry);
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics(own).bindTo(registry);
        new ClassLoaderMetrics(own).bindTo(registry);
        new ProcessorMetrics(own).bindTo(registry);
        new UptimeMetrics(own).bindTo(registry);
    }

    /** One service's forecast: the rate by horizon label (5m, 15m, 30m) and the model's recent error. */
    public record ServiceForecast(String service, Map<String, Double> ratesByHorizon, double errorRatio) {
        public ServiceForecast {
            ratesByHorizon = Map.copyOf(ratesByHorizon);
            ratesByHorizon.values().forEach(rate -> {
                if (!(rate >= 0) || rate.isInfinite()) {
                    throw new IllegalArgumentException(service + ": a forecast rate is finite and not negative, got " + rate);
                }
            });
        }
    }

    /**
     * Makes these the forecast series: services not among them stop being exported. A series already exported keeps
     * its gauge, which reads the new value; only series that appear or go are registered or removed. Replacing a
     * gauge (remove, then register again) while the registry is being scraped can put the series in the scrape twice,
     * and the whole scrape then fails with a duplicate-labels error.
     */
    public void publish(List<ServiceForecast> serviceForecasts, Instant fittedAt) {
        List<MultiGauge.Row<?>> rates = new ArrayList<>();
        List<MultiGauge.Row<?>> errors = new ArrayList<>();
        for (ServiceForecast forecast : serviceForecasts) {
            forecast.ratesByHorizon().forEach((horizon, rate) ->
                    rates.add(row(rateValues, Tags.of("service", forecast.service(), "horizon", horizon), rate)));
            if (Double.isFinite(forecast.errorRatio())) {
                errors.add(row(errorValues, Tags.of("service", forecast.service()), forecast.errorRatio()));
            }
        }
        forecasts.register(rates, false);
        fitErrors.register(errors, false);
        if (lastFitSeconds.getAndSet(fittedAt.toEpochMilli() / 1000.0) == null) {
            Gauge.builder("nightjar.forecast.last.fit.timestamp.seconds", lastFitSeconds, AtomicReference::get)
                    .description("When the forecasts were last fitted, in seconds since the epoch")
                    .register(registry);
        }
    }

    private static MultiGauge.Row<Value> row(Map<Tags, Value> values, Tags tags, double value) {
        Value held = values.computeIfAbsent(tags, t -> new Value());
        held.value = value;
        return MultiGauge.Row.of(tags, held, v -> v.value);
    }

    private static final class Value {
        volatile double value;
    }

    /** The registry behind {@link #scrape()}, for tests. */
    PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition of everything above. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gcMetrics.close();
        registry.close();
    }
}
