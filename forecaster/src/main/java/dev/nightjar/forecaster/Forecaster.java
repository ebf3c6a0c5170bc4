package dev.nightjar.forecaster;

import dev.nightjar.forecaster.export.ForecastMetrics;
import dev.nightjar.forecaster.export.ForecastMetrics.ServiceForecast;
import dev.nightjar.forecaster.model.MinuteSeries;
import dev.nightjar.forecaster.model.SeasonalModel;
import dev.nightjar.forecaster.model.SeasonalModel.FittedModel;
import dev.nightjar.forecaster.model.SeasonalModel.Parameters;
import dev.nightjar.forecaster.prometheus.PrometheusClient;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One run a minute: reads the minutes Prometheus has added since the last run, fits each service's model to its
 * history and publishes the forecasts. A service with too little or too stale history gets no forecast, and a log
 * line says why (when the reason first appears or changes, not every minute).
 */
public final class Forecaster {

    private static final System.Logger LOG = System.getLogger(Forecaster.class.getName());
    /** Recent minutes read again on every run: Prometheus may have had only part of them on the last read. */
    static final int OVERLAP_MINUTES = 5;
    static final String SERVICE_LABEL = "service";

    private final ForecasterSettings settings;
    private final PrometheusClient prometheus;
    private final ForecastMetrics metrics;
    private final Clock clock;
    private final int historyMinutes;
    private final Map<String, RateHistory> histories = new TreeMap<>();
    private final Map<String, Fitted> fits = new HashMap<>();
    private final Map<String, String> skipReasons = new HashMap<>();
    private long readUntilMinute = Long.MIN_VALUE;
    private volatile Instant lastRunCompleted;

    private record Fitted(Parameters parameters, Instant fittedAt) {
    }

    public Forecaster(ForecasterSettings settings, PrometheusClient prometheus, ForecastMetrics metrics, Clock clock) {
        this.settings = settings;
        this.prometheus = prometheus;
        this.metrics = metrics;
        this.clock = clock;
        this.historyMinutes = Math.toIntExact(settings.history().toMinutes());
    }

    /** When the last run finished, or empty before the first. */
    public Optional<Instant> lastRunCompleted() {
        return Optional.ofNullable(lastRunCompleted);
    }

    /** Reads, fits, publishes. A failed read is logged and the run goes on with the history it has. */
    public void runOnce() throws InterruptedException {
        Instant now = clock.instant();
        long nowMinute = Math.floorDiv(now.getEpochSecond(), 60);
        // The value at a minute's start is the rate over the minute before it: the newest one is nowMinute's.
        long endMinute = nowMinute + 1;
        read(endMinute);
        histories.values().forEach(history -> history.advanceTo(endMinute));

        List<ServiceForecast> forecasts = new ArrayList<>();
        for (var entry : histories.entrySet()) {
            forecast(entry.getKey(), entry.getValue().series(), nowMinute, now).ifPresent(forecasts::add);
        }
        histories.values().removeIf(history -> history.series().length() == 0);
        metrics.publish(forecasts, now);
        lastRunCompleted = clock.instant();
    }

    private void read(long endMinute) throws InterruptedException {
        long fromMinute = readUntilMinute == Long.MIN_VALUE
                ? endMinute - historyMinutes
                : Math.max(endMinute - historyMinutes, readUntilMinute - OVERLAP_MINUTES);
        try {
            Map<String, double[]> read = prometheus.rangeByLabel(settings.query(), SERVICE_LABEL, fromMinute, endMinute);
            read.forEach((service, values) -> histories
                    .computeIfAbsent(service, key -> new RateHistory(historyMinutes, endMinute))
                    .merge(fromMinute, values, endMinute));
            readUntilMinute = endMinute;
        } catch (IOException e) {
            LOG.log(Level.WARNING, "reading the request rates from Prometheus failed; forecasting from the history read so far: "
                    + e.getMessage());
        }
    }

    private Optional<ServiceForecast> forecast(String service, MinuteSeries history, long nowMinute, Instant now) {
        long minHistoryMinutes = settings.minHistory().toMinutes();
        Optional<String> insufficient = SeasonalModel.insufficiency(history, Math.toIntExact(minHistoryMinutes));
        if (insufficient.isEmpty()) {
            long staleMinutes = nowMinute - history.lastObservedMinute().orElse(Long.MIN_VALUE / 2);
            if (staleMinutes > settings.maxStaleness().toMinutes()) {
                insufficient = Optional.of("no request rate for the last " + staleMinutes + " minutes");
            }
        }
        if (insufficient.isPresent()) {
            fits.remove(service);
            if (!insufficient.get().equals(skipReasons.put(service, insufficient.get()))) {
                LOG.log(Level.INFO, "no forecast for " + service + ": " + insufficient.get());
            }
            return Optional.empty();
        }
        FittedModel model = model(service, history, now);
        if (skipReasons.remove(service) != null || !fits.containsKey(service)) {
            LOG.log(Level.INFO, "forecasting " + service + " from " + history.observedMinutes() + " minutes of history");
        }
        Map<String, Double> rates = new LinkedHashMap<>();
        for (Duration horizon : settings.horizons()) {
            rates.put(ForecasterSettings.label(horizon), model.forecastRate(nowMinute + horizon.toMinutes()));
        }
        return Optional.of(new ServiceForecast(service, rates, model.recentErrorRatio().orElse(Double.NaN)));
    }

    /** The parameters are fitted anew every refit interval (warm-started from the last); in between the model only runs. */
    private FittedModel model(String service, MinuteSeries history, Instant now) {
        Fitted last = fits.get(service);
        if (last != null && Duration.between(last.fittedAt(), now).compareTo(settings.refitInterval()) < 0) {
            return SeasonalModel.apply(history, last.parameters());
        }
        long startNanos = System.nanoTime();
        FittedModel model = SeasonalModel.fit(history, Optional.ofNullable(last).map(Fitted::parameters));
        fits.put(service, new Fitted(model.parameters(), now));
        LOG.log(Level.INFO, String.format("fitted %s in %d ms: %s, one-step MAPE over the last day %.3f", service,
                (System.nanoTime() - startNanos) / 1_000_000, model.parameters(), model.recentErrorRatio().orElse(Double.NaN)));
        return model;
    }
}
