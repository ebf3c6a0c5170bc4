package dev.nightjar.forecaster.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.nightjar.forecaster.Forecaster;
import dev.nightjar.forecaster.ForecasterApplication;
import dev.nightjar.forecaster.ForecasterSettings;
import dev.nightjar.forecaster.SyntheticTraffic;
import dev.nightjar.forecaster.export.ForecastMetrics;
import dev.nightjar.forecaster.prometheus.RealPrometheus.RequestCounter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The forecaster against a real Prometheus holding generated history: gateway-service with ten days of requests
 * (two endpoints, summed by the query), vault-service with two days, too few to forecast from.
 */
class ForecastFromRealPrometheusTest {

    private static final int HISTORY_DAYS = 10;
    private static final int SCRAPE_SECONDS = 15;
    private static final SyntheticTraffic GATEWAY = new SyntheticTraffic(300, 0.03, 0.04, Optional.empty(), 7);
    private static final SyntheticTraffic VAULT = new SyntheticTraffic(120, 0.03, 0.04, Optional.empty(), 8);
    private static final Pattern SAMPLE = Pattern.compile(
            "nightjar_forecast_requests_per_second\\{horizon=\"(\\d+m)\",service=\"([^\"]+)\"} (\\S+)");

    @TempDir
    static Path directory;
    static RealPrometheus prometheus;
    /** The current minute when the history was written: it ends just before it. */
    static long nowMinute;
    static long gatewayStart;
    static double[] gatewayRates;

    @BeforeAll
    static void startPrometheusWithHistory() throws Exception {
        nowMinute = Instant.now().getEpochSecond() / 60;
        gatewayStart = nowMinute - HISTORY_DAYS * 1_440L;
        gatewayRates = GATEWAY.generate(gatewayStart, HISTORY_DAYS * 1_440);
        long vaultStart = nowMinute - 2 * 1_440L;
        double[] vaultRates = VAULT.generate(vaultStart, 2 * 1_440);
        double[] payments = new double[gatewayRates.length];
        double[] reads = new double[gatewayRates.length];
        for (int i = 0; i < gatewayRates.length; i++) {
            payments[i] = gatewayRates[i] * 0.7;
            reads[i] = gatewayRates[i] * 0.3;
        }
        prometheus = RealPrometheus.start(directory, writer -> RealPrometheus.writeRequestCounters(writer, SCRAPE_SECONDS, List.of(
                new RequestCounter(labels("gateway-service", "POST", "/v1/payments"), gatewayStart, payments),
                new RequestCounter(labels("gateway-service", "GET", "/v1/payments/{id}"), gatewayStart, reads),
                new RequestCounter(labels("vault-service", "POST", "/internal/tokens"), vaultStart, vaultRates))));
    }

    @AfterAll
    static void stopPrometheus() {
        if (prometheus != null) {
            prometheus.close();
        }
    }

    @Test
    void theClientReadsEachServicesPerMinuteRateOverMoreThanOneChunk() throws Exception {
        PrometheusClient client = PrometheusClient.create(prometheus.url(), Optional.empty(), Duration.ofSeconds(30));
        long from = gatewayStart;
        long to = nowMinute + 1;

        Map<String, double[]> read = client.rangeByLabel(ForecasterSettings.DEFAULT_QUERY, "service", from, to);

        assertThat(to - from).isGreaterThan(PrometheusClient.MAX_POINTS_PER_REQUEST);
        assertThat(read).containsOnlyKeys("gateway-service", "vault-service");
        double[] gateway = read.get("gateway-service");
        int compared = 0;
        int close = 0;
        // The value at minute m is the rate over the minute before it: the generated rate of minute m - 1.
        for (int i = 2; i < gateway.length && i - 1 < gatewayRates.length; i++) {
            compared++;
            double expected = gatewayRates[i - 1];
            close += Math.abs(gateway[i] - expected) <= 0.01 * expected ? 1 : 0;
        }
        assertThat(close).as("minutes read within 1 %% of the generated rate, of %d", compared)
                .isGreaterThanOrEqualTo((int) (0.99 * compared));
        double[] vault = read.get("vault-service");
        assertThat(vault[0]).as("vault-service before its history starts").isNaN();
        assertThat(vault[vault.length - 2]).isCloseTo(VAULT.expectedRate(nowMinute - 2), within(0.3 * VAULT.expectedRate(nowMinute - 2)));
    }

    @Test
    void aServiceWithEnoughHistoryIsForecastAndOneWithTooLittleIsNotAndTheLogSaysWhy() throws Exception {
        Clock clock = Clock.fixed(Instant.ofEpochSecond(nowMinute * 60 + 20), ZoneOffset.UTC);
        List<LogRecord> logged = new ArrayList<>();
        Logger logger = Logger.getLogger(Forecaster.class.getName());
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                synchronized (logged) {
                    logged.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(capture);
        try (ForecastMetrics metrics = new ForecastMetrics()) {
            Forecaster forecaster = new Forecaster(settings(0), PrometheusClient.create(prometheus.url(), Optional.empty(),
                    Duration.ofSeconds(30)), metrics, clock);

            forecaster.runOnce();

            Map<String, Double> forecasts = forecasts(metrics.scrape());
            assertThat(forecasts).containsOnlyKeys("gateway-service 5m", "gateway-service 15m", "gateway-service 30m");
            for (int horizon : new int[] {5, 15, 30}) {
                double expected = GATEWAY.expectedRate(nowMinute + horizon - 1);
                assertThat(forecasts.get("gateway-service " + horizon + "m")).as("%d minutes ahead", horizon)
                        .isCloseTo(expected, within(0.25 * expected));
            }
            assertThat(metrics.scrape()).contains("nightjar_forecast_fit_error_ratio{service=\"gateway-service\"}")
                    .doesNotContain("service=\"vault-service\"");
            Matcher lastFit = Pattern.compile("(?m)^nightjar_forecast_last_fit_timestamp_seconds (\\S+)$").matcher(metrics.scrape());
            assertThat(lastFit.find()).as("last fit timestamp exported").isTrue();
            assertThat(Double.parseDouble(lastFit.group(1))).isEqualTo(nowMinute * 60 + 20.0);
        } finally {
            logger.removeHandler(capture);
        }
        synchronized (logged) {
            assertThat(logged).extracting(LogRecord::getMessage)
                    .contains("no forecast for vault-service: 2.0 days of history, 9.0 needed")
                    .noneMatch(message -> message.startsWith("no forecast for gateway-service"));
        }
    }

    @Test
    void theProcessServesTheForecastOnMetricsAndIsHealthyAndNothingElse() throws Exception {
        Clock clock = Clock.fixed(Instant.ofEpochSecond(nowMinute * 60 + 20), ZoneOffset.UTC);
        try (ForecasterApplication application = ForecasterApplication.start(settings(0), clock)) {
            application.firstRunCompleted().get(2, TimeUnit.MINUTES);
            HttpClient http = HttpClient.newHttpClient();
            URI base = URI.create("http://127.0.0.1:" + application.port());

            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(base.resolve("/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(base.resolve("/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> elsewhere = http.send(HttpRequest.newBuilder(base.resolve("/metrics/x")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(forecasts(metrics.body())).containsKeys("gateway-service 5m", "gateway-service 15m", "gateway-service 30m");
            assertThat(metrics.body()).contains("jvm_memory_used_bytes{area=\"heap\"");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(elsewhere.statusCode()).isEqualTo(404);
        }
    }

    private static ForecasterSettings settings(int port) {
        return new ForecasterSettings(prometheus.url(), Optional.empty(), ForecasterSettings.DEFAULT_QUERY,
                Duration.ofDays(HISTORY_DAYS), Duration.ofDays(9), Duration.ofMinutes(1), Duration.ofMinutes(60),
                Duration.ofMinutes(10), Duration.ofSeconds(30), "127.0.0.1", port, ForecasterSettings.HORIZONS);
    }

    /** "service horizon" to value, from a Prometheus text exposition. */
    private static Map<String, Double> forecasts(String exposition) {
        Map<String, Double> forecasts = new LinkedHashMap<>();
        Matcher matcher = SAMPLE.matcher(exposition);
        while (matcher.find()) {
            forecasts.put(matcher.group(2) + " " + matcher.group(1), Double.parseDouble(matcher.group(3)));
        }
        return forecasts;
    }

    private static String labels(String service, String method, String uri) {
        return "service=\"" + service + "\",method=\"" + method + "\",uri=\"" + uri
                + "\",status=\"200\",outcome=\"SUCCESS\",exception=\"none\"";
    }
}
