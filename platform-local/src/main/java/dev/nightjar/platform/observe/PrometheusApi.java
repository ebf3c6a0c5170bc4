package dev.nightjar.platform.observe;

import dev.nightjar.contracts.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** The few calls of Prometheus's HTTP API the observe check and the incident timeline make. */
public final class PrometheusApi {

    private final String url;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public PrometheusApi(String url) {
        this.url = url;
    }

    /** The outcome of an instant query: the error Prometheus gave, or the number of series it returned. */
    public record Answer(String error, int series) {

        public boolean valid() {
            return error == null;
        }
    }

    public Answer query(String promql) {
        JsonNode body = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        if (!"success".equals(body.path("status").asString())) {
            return new Answer(body.path("errorType").asString("") + ": " + body.path("error").asString(""), 0);
        }
        JsonNode result = body.path("data").path("result");
        return new Answer(null, result.isArray() ? result.size() : 1);
    }

    /**
     * An instant query's value per series, keyed by one label of each (series without it are left out; two with the
     * same value of it keep the last). A query Prometheus refuses throws.
     */
    public Map<String, Double> valuesBy(String promql, String label) {
        JsonNode body = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        if (!"success".equals(body.path("status").asString())) {
            throw new IllegalStateException("Prometheus refused " + promql + ": " + body.path("errorType").asString("")
                    + ": " + body.path("error").asString(""));
        }
        Map<String, Double> values = new LinkedHashMap<>();
        for (JsonNode result : body.path("data").path("result")) {
            String key = result.path("metric").path(label).asString(null);
            if (key != null) {
                values.put(key, Double.parseDouble(result.path("value").path(1).asString()));
            }
        }
        return values;
    }

    /** One series of a range query: its labels and the instants of its samples, in order. */
    public record RangeSeries(Map<String, String> labels, List<Instant> times) {
    }

    /** {@code /api/v1/query_range}: every series the query returns from start to end at this step. */
    public List<RangeSeries> queryRange(String promql, Instant start, Instant end, Duration step) {
        JsonNode body = get("/api/v1/query_range?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)
                + "&start=" + seconds(start) + "&end=" + seconds(end) + "&step=" + step.toSeconds());
        if (!"success".equals(body.path("status").asString())) {
            throw new IllegalStateException("Prometheus refused " + promql + ": " + body.path("errorType").asString("")
                    + ": " + body.path("error").asString(""));
        }
        List<RangeSeries> series = new ArrayList<>();
        for (JsonNode result : body.path("data").path("result")) {
            Map<String, String> labels = new LinkedHashMap<>();
            result.path("metric").properties().forEach(label -> labels.put(label.getKey(), label.getValue().asString()));
            List<Instant> times = new ArrayList<>();
            for (JsonNode sample : result.path("values")) {
                times.add(Instant.ofEpochMilli(Math.round(sample.path(0).asDouble() * 1000)));
            }
            series.add(new RangeSeries(labels, times));
        }
        return series;
    }

    private static String seconds(Instant at) {
        return String.format(Locale.ROOT, "%.3f", at.toEpochMilli() / 1000.0);
    }

    /** {@code /api/v1/rules}: every group Prometheus loaded, with each rule's health and state. */
    public JsonNode rules() {
        return get("/api/v1/rules").path("data").path("groups");
    }

    private JsonNode get(String pathAndQuery) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url + pathAndQuery))
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
            return Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("Prometheus is not reachable at " + url + "; is the platform up?", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
