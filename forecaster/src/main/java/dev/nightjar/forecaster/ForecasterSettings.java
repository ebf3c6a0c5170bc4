package dev.nightjar.forecaster;

import dev.nightjar.forecaster.model.SeasonalModel;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The forecaster's configuration, from environment variables ({@code NIGHTJAR_FORECASTER_*}); validated, with a
 * bound on everything.
 *
 * @param prometheusUrl   Prometheus' base URL (http or https); the HTTP API is under {@code /api/v1}
 * @param prometheusCaFile PEM certificates to trust for an https Prometheus; empty: the JDK's trust store
 * @param query           PromQL giving one series per service, labelled {@code service}: the request rate in requests/s
 * @param history         how far back the forecaster reads and fits (8 days to 5 weeks; 4 weeks by default)
 * @param minHistory      less observed history than this and a service gets no forecast
 * @param interval        how often it reads new minutes and forecasts again
 * @param refitInterval   how often the smoothing parameters are fitted anew (in between, the model runs with the last)
 * @param maxStaleness    a service whose last observed minute is older than this gets no forecast
 * @param requestTimeout  timeout of one Prometheus request
 * @param listenHost      where /metrics and /healthz are served
 * @param listenPort      the port they are served on
 * @param horizons        the horizons forecast (label {@code horizon}: 5m, 15m, 30m)
 */
public record ForecasterSettings(URI prometheusUrl, Optional<Path> prometheusCaFile, String query, Duration history,
                                 Duration minHistory, Duration interval, Duration refitInterval, Duration maxStaleness,
                                 Duration requestTimeout, String listenHost, int listenPort, List<Duration> horizons) {

    public static final String DEFAULT_QUERY = "sum by (service) (rate(http_server_requests_seconds_count[1m]))";
    public static final int DEFAULT_PORT = 9208;
    public static final List<Duration> HORIZONS = List.of(Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofMinutes(30));

    private static final String PREFIX = "NIGHTJAR_FORECASTER_";
    private static final int MAX_QUERY_LENGTH = 2_000;

    public ForecasterSettings {
        String scheme = prometheusUrl.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme) || prometheusUrl.getHost() == null) {
            throw new IllegalArgumentException("the Prometheus URL must be http(s)://host[:port][/path], got " + prometheusUrl);
        }
        if (prometheusCaFile.isPresent() && !Files.isReadable(prometheusCaFile.get())) {
            throw new IllegalArgumentException("the Prometheus CA file " + prometheusCaFile.get() + " is not readable");
        }
        if (query.isBlank() || query.length() > MAX_QUERY_LENGTH) {
            throw new IllegalArgumentException("the query must be PromQL of at most " + MAX_QUERY_LENGTH + " characters");
        }
        requireWithin("history", history, Duration.ofMinutes(SeasonalModel.MIN_HISTORY_MINUTES), Duration.ofDays(35));
        requireWithin("min history", minHistory, Duration.ofMinutes(SeasonalModel.MIN_HISTORY_MINUTES), history);
        requireWithin("interval", interval, Duration.ofSeconds(10), Duration.ofMinutes(10));
        requireWithin("refit interval", refitInterval, interval, Duration.ofDays(1));
        requireWithin("max staleness", maxStaleness, Duration.ofMinutes(1), Duration.ofHours(1));
        requireWithin("request timeout", requestTimeout, Duration.ofSeconds(1), Duration.ofMinutes(2));
        if (listenPort < 0 || listenPort > 65_535) {
            throw new IllegalArgumentException("listen port out of range: " + listenPort);
        }
        horizons = List.copyOf(horizons);
    }

    /** From {@code NIGHTJAR_FORECASTER_*} variables; the Prometheus URL is the only one without a default. */
    public static ForecasterSettings fromEnvironment(Map<String, String> environment) {
        String url = environment.get(PREFIX + "PROMETHEUS_URL");
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException(PREFIX + "PROMETHEUS_URL is required (e.g. http://prometheus:9090)");
        }
        return new ForecasterSettings(
                URI.create(url.strip().replaceAll("/+$", "")),
                Optional.ofNullable(environment.get(PREFIX + "PROMETHEUS_CA_FILE")).filter(s -> !s.isBlank()).map(Path::of),
                environment.getOrDefault(PREFIX + "QUERY", DEFAULT_QUERY),
                Duration.ofDays(integer(environment, "HISTORY_DAYS", 28)),
                Duration.ofDays(integer(environment, "MIN_HISTORY_DAYS", 14)),
                Duration.ofSeconds(integer(environment, "INTERVAL_SECONDS", 60)),
                Duration.ofMinutes(integer(environment, "REFIT_MINUTES", 60)),
                Duration.ofMinutes(integer(environment, "MAX_STALENESS_MINUTES", 10)),
                Duration.ofSeconds(integer(environment, "REQUEST_TIMEOUT_SECONDS", 30)),
                environment.getOrDefault(PREFIX + "LISTEN_HOST", "0.0.0.0"),
                integer(environment, "PORT", DEFAULT_PORT),
                HORIZONS);
    }

    /** A horizon's label value: 5m, 15m, 30m. */
    public static String label(Duration horizon) {
        return horizon.toMinutes() + "m";
    }

    private static int integer(Map<String, String> environment, String name, int defaultValue) {
        String value = environment.get(PREFIX + name);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(PREFIX + name + " must be an integer, got " + value, e);
        }
    }

    private static void requireWithin(String name, Duration value, Duration min, Duration max) {
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(name + " " + value + " outside [" + min + ", " + max + "]");
        }
    }
}
