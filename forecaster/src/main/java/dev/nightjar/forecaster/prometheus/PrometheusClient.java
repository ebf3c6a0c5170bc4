package dev.nightjar.forecaster.prometheus;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads per-minute series from Prometheus' HTTP API ({@code /api/v1/query_range}, step 60 s), one series per value of
 * a label. A long range is read in chunks: Prometheus refuses more than 11,000 points per series in one query.
 */
public final class PrometheusClient {

    /** Points per series in one request, below Prometheus' limit of 11,000. */
    static final int MAX_POINTS_PER_REQUEST = 10_000;
    /** A response larger than this is refused rather than read into memory. */
    static final int MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
    private static final int STEP_SECONDS = 60;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI baseUrl;
    private final HttpClient http;
    private final Duration requestTimeout;

    public PrometheusClient(URI baseUrl, HttpClient http, Duration requestTimeout) {
        this.baseUrl = baseUrl;
        this.http = http;
        this.requestTimeout = requestTimeout;
    }

    /** A client for {@code baseUrl}, trusting {@code caFile}'s certificates for https when given. */
    public static PrometheusClient create(URI baseUrl, Optional<Path> caFile, Duration requestTimeout) {
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(requestTimeout)
                .followRedirects(HttpClient.Redirect.NEVER);
        if (caFile.isPresent()) {
            builder.sslContext(trusting(caFile.get()));
        }
        return new PrometheusClient(baseUrl, builder.build(), requestTimeout);
    }

    /**
     * The per-minute values of {@code query} over the epoch minutes {@code [fromMinute, toMinute)}, by the value of
     * {@code label}: an array per label value, index 0 = {@code fromMinute}, NaN where Prometheus had no value.
     * Series without the label are left out.
     */
    public Map<String, double[]> rangeByLabel(String query, String label, long fromMinute, long toMinute)
            throws IOException, InterruptedException {
        if (toMinute <= fromMinute) {
            throw new IllegalArgumentException("empty range [" + fromMinute + ", " + toMinute + ")");
        }
        int length = Math.toIntExact(toMinute - fromMinute);
        Map<String, double[]> series = new LinkedHashMap<>();
        for (long chunkStart = fromMinute; chunkStart < toMinute; chunkStart += MAX_POINTS_PER_REQUEST) {
            long chunkLast = Math.min(toMinute, chunkStart + MAX_POINTS_PER_REQUEST) - 1;
            JsonNode result = queryRange(query, chunkStart * STEP_SECONDS, chunkLast * STEP_SECONDS);
            for (JsonNode entry : result) {
                JsonNode labelValue = entry.path("metric").path(label);
                if (!labelValue.isString() || labelValue.asString().isEmpty()) {
                    continue;
                }
                double[] values = series.computeIfAbsent(labelValue.asString(), key -> nanArray(length));
                for (JsonNode point : entry.path("values")) {
                    long minute = Math.round(point.get(0).asDouble() / STEP_SECONDS);
                    double value = parseSampleValue(point.get(1).asString());
                    if (minute >= fromMinute && minute < toMinute && Double.isFinite(value)) {
                        values[(int) (minute - fromMinute)] = value;
                    }
                }
            }
        }
        return series;
    }

    private JsonNode queryRange(String query, long startSeconds, long endSeconds) throws IOException, InterruptedException {
        String form = "query=" + URLEncoder.encode(query, StandardCharsets.UTF_8)
                + "&start=" + startSeconds + "&end=" + endSeconds + "&step=" + STEP_SECONDS
                + "&timeout=" + requestTimeout.toSeconds() + "s";
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/api/v1/query_range"))
                .timeout(requestTimeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        byte[] body;
        try (InputStream input = response.body()) {
            body = input.readNBytes(MAX_RESPONSE_BYTES + 1);
        }
        if (body.length > MAX_RESPONSE_BYTES) {
            throw new IOException("Prometheus answered more than " + MAX_RESPONSE_BYTES + " bytes for one range");
        }
        JsonNode answer;
        try {
            answer = JSON.readTree(body);
        } catch (RuntimeException e) {
            throw new IOException("Prometheus answered HTTP " + response.statusCode() + " with no JSON", e);
        }
        if (response.statusCode() != 200 || !"success".equals(answer.path("status").asString(""))) {
            throw new IOException("Prometheus answered HTTP " + response.statusCode() + ": "
                    + answer.path("errorType").asString("") + " " + answer.path("error").asString(""));
        }
        JsonNode data = answer.path("data");
        if (!"matrix".equals(data.path("resultType").asString(""))) {
            throw new IOException("a range query answers a matrix, Prometheus answered " + data.path("resultType"));
        }
        return data.path("result");
    }

    /** Prometheus writes sample values as strings, with NaN, +Inf and -Inf spelt out. */
    static double parseSampleValue(String text) {
        return switch (text) {
            case "NaN" -> Double.NaN;
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }

    private static double[] nanArray(int length) {
        double[] values = new double[length];
        Arrays.fill(values, Double.NaN);
        return values;
    }

    private static SSLContext trusting(Path caFile) {
        try (InputStream input = Files.newInputStream(caFile)) {
            KeyStore trustStore = KeyStore.getInstance(KeyStore.getDefaultType());
            trustStore.load(null, null);
            int index = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(input)) {
                trustStore.setCertificateEntry("prometheus-ca-" + index++, certificate);
            }
            if (index == 0) {
                throw new IllegalArgumentException(caFile + " holds no certificate");
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trustStore);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read the Prometheus CA file " + caFile, e);
        }
    }
}
