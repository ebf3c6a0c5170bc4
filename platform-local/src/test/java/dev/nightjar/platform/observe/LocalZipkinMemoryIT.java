package dev.nightjar.platform.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.contracts.json.Json;
import dev.nightjar.platform.ItEnvironment;
import dev.nightjar.platform.PlatformLayout;
import dev.nightjar.platform.process.DirectoryProcesses;
import dev.nightjar.platform.process.Poll;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The real Zipkin server, sized by {@link LocalZipkin.Memory}, sent three times the spans it keeps: one payment's
 * real trace (21 spans from the fleet, timestamps made relative) again and again under new trace ids. It must keep
 * running and answering, keep the newest traces and let the oldest go. A store that counts on fewer bytes per span
 * than the server uses runs out of heap here and exits, as the local platform's did at 20 payments/s.
 */
class LocalZipkinMemoryIT {

    private static final LocalZipkin.Memory SMALL = new LocalZipkin.Memory(160);
    private static final int TRACES_PER_POST = 50;

    private final Path dir = ItEnvironment.directory("local-zipkin-memory");
    private final LocalZipkin zipkin = new LocalZipkin(
            PlatformLayout.defaults(Path.of("..").toAbsolutePath().normalize()).zipkinJar(), dir.resolve("zipkin"),
            ItEnvironment.PORTS.zipkin(), dir.resolve("zipkin.log"), dir.resolve("zipkin.pid"), SMALL);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @AfterEach
    void stop() {
        zipkin.stop();
        DirectoryProcesses.killAll(dir, Duration.ofSeconds(10));
    }

    @Test
    void keepsRunningAndKeepsTheNewestTracesWhenSentThreeTimesTheSpansItHolds() throws Exception {
        zipkin.start();
        zipkin.awaitReady(Duration.ofSeconds(180));
        ArrayNode template = paymentTrace();
        int traces = 3 * SMALL.maxSpans() / template.size() + 1;
        long startMicros = Instant.now().minus(5, ChronoUnit.MINUTES).toEpochMilli() * 1000;

        for (int first = 0; first < traces; first += TRACES_PER_POST) {
            ArrayNode batch = Json.MAPPER.createArrayNode();
            for (int i = first; i < Math.min(traces, first + TRACES_PER_POST); i++) {
                for (JsonNode span : template) {
                    ObjectNode copy = ((ObjectNode) span).deepCopy();
                    copy.put("traceId", traceId(i));
                    copy.put("timestamp", startMicros + i * 1000L + span.get("timestamp").asLong());
                    batch.add(copy);
                }
            }
            HttpResponse<String> posted = send(HttpRequest.newBuilder(URI.create(zipkin.spansEndpoint()))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(batch))));
            assertThat(posted.statusCode()).as("POST of traces %d onwards", first).isEqualTo(202);
        }

        assertThat(zipkin.isRunning()).as("the server runs after %d spans; see %s", traces * template.size(),
                dir.resolve("zipkin.log")).isTrue();
        assertThat(zipkin.isHealthy()).isTrue();
        long sent = (long) traces * template.size();
        Poll.until("the server to count " + sent + " spans", Duration.ofSeconds(30), () -> received() >= sent);
        assertThat(received()).isEqualTo(sent);
        HttpResponse<String> newest = send(HttpRequest.newBuilder(URI.create(zipkin.url() + "/api/v2/trace/"
                + traceId(traces - 1))));
        assertThat(newest.statusCode()).isEqualTo(200);
        assertThat(Json.MAPPER.readTree(newest.body()).size()).isEqualTo(template.size());
        HttpResponse<String> oldest = send(HttpRequest.newBuilder(URI.create(zipkin.url() + "/api/v2/trace/"
                + traceId(0))));
        assertThat(oldest.statusCode()).as("the oldest trace is let go").isEqualTo(404);

        // What the kept spans take: the old generation after a full collection. They are budgeted at half of it
        // (48-50 % here); 60 % allows for the server's own caches, and a store counting on half the bytes a span
        // takes fills 78 %.
        double liveBefore = metric("jvm_gc_live_data_size_bytes");
        Process gc = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(zipkin.process().orElseThrow().pid()), "GC.run").redirectErrorStream(true).start();
        assertThat(gc.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(gc.exitValue()).as(new String(gc.getInputStream().readAllBytes())).isZero();
        Poll.until("a full collection's live bytes", Duration.ofSeconds(30),
                () -> metric("jvm_gc_live_data_size_bytes") != liveBefore);
        assertThat(metric("jvm_gc_live_data_size_bytes")).as("bytes live after a full collection")
                .isLessThanOrEqualTo(metric("jvm_gc_max_data_size_bytes") * 0.6);
    }

    private static String traceId(int i) {
        return String.format("%032x", 0x5eed0000L + i);
    }

    /** Spans the server counted as received over HTTP. */
    private long received() {
        return (long) metric("zipkin_collector_spans_total{transport=\"http\"");
    }

    /** One series from the server's own Prometheus endpoint, by the start of its line. */
    private double metric(String series) {
        String metrics = send(HttpRequest.newBuilder(URI.create(zipkin.url() + "/prometheus"))).body();
        List<String> lines = new ArrayList<>();
        for (String line : metrics.split("\n")) {
            if (line.startsWith(series + (series.endsWith("\"") ? "" : " "))) {
                lines.add(line);
            }
        }
        assertThat(lines).as(series).hasSize(1);
        return Double.parseDouble(lines.getFirst().substring(lines.getFirst().lastIndexOf(' ') + 1));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static ArrayNode paymentTrace() {
        try (InputStream in = LocalZipkinMemoryIT.class.getResourceAsStream("/zipkin/payment-trace.json")) {
            return (ArrayNode) Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
