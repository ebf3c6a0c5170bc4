package dev.nightjar.platform.observe;

import dev.nightjar.contracts.id.Ids;
import dev.nightjar.contracts.json.Json;
import java.io.IOException;
import java.io.PrintStream;
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
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * A payment's traces, read back from Zipkin by the {@code payment.id} tag its spans carry: the request that
 * created it (with every hop it caused, Kafka consumers included) and each later request on it (capture,
 * refund), printed as trees with each span's service, name, start offset and duration.
 */
public final class PaymentTraces {

    /** Tags worth a glance in the tree; the rest stay in Zipkin. */
    private static final List<String> SHOWN_TAGS = List.of("payment.id", "payment.status", "risk.score", "acquirer",
            "attempt", "outcome", "http.status_code", "status", "error");

    /**
     * How long after a payment is created its trace is whole in Zipkin: the services export their finished spans every
     * 5 s (the OpenTelemetry batch processor's delay), and the Kafka consumers' spans end a second or two after the
     * merchant's answer.
     */
    static final Duration EXPORTED_AFTER = Duration.ofSeconds(8);

    private final String zipkinUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public PaymentTraces(String zipkinUrl) {
        this.zipkinUrl = zipkinUrl;
    }

    /** One span as Zipkin holds it. */
    public record Span(String traceId, String id, String parentId, String service, String name, String kind,
                       long timestampMicros, long durationMicros, Map<String, String> tags) {
    }

    /** Every trace that has a span tagged with {@code paymentId}, oldest first; each trace's spans by start. */
    public List<List<Span>> of(String paymentId, Duration lookback) {
        return of(paymentId, Instant.now(), lookback);
    }

    /** The same, for traces in the {@code lookback} before {@code end}. */
    public List<List<Span>> of(String paymentId, Instant end, Duration lookback) {
        String query = "annotationQuery=" + encode("payment.id=" + paymentId) + "&lookback=" + lookback.toMillis()
                + "&endTs=" + end.toEpochMilli() + "&limit=100";
        JsonNode traces = get("/api/v2/traces?" + query);
        List<List<Span>> result = new ArrayList<>();
        for (JsonNode trace : traces) {
            List<Span> spans = new ArrayList<>();
            for (JsonNode span : trace) {
                spans.add(span(span));
            }
            spans.sort(Comparator.comparingLong(Span::timestampMicros));
            result.add(spans);
        }
        result.sort(Comparator.comparingLong(spans -> spans.isEmpty() ? 0 : spans.getFirst().timestampMicros()));
        return result;
    }

    /** Prints each trace as a tree; returns how many traces there were. */
    public int print(String paymentId, Duration lookback, PrintStream out) {
        Duration wait = exportWait(paymentId, Instant.now());
        if (wait.isPositive()) {
            out.printf(Locale.ROOT, "(waiting %.1f s for the services to export the payment's spans)%n", wait.toMillis() / 1000.0);
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<List<Span>> traces = of(paymentId, lookback);
        if (traces.isEmpty()) {
            out.println("No trace in Zipkin (" + zipkinUrl + ") has a span tagged payment.id=" + paymentId
                    + " in the last " + lookback.toMinutes() + " minutes.");
            return 0;
        }
        for (List<Span> trace : traces) {
            printTree(trace, out);
            out.println();
        }
        return traces.size();
    }

    /**
     * How long to wait at {@code now} before the trace of the request that created {@code paymentId} is whole in
     * Zipkin: until {@link #EXPORTED_AFTER} past the creation time its ULID carries; zero for an older payment or an
     * id that is not a payment's.
     */
    static Duration exportWait(String paymentId, Instant now) {
        if (!Ids.isValid(paymentId, Ids.PAYMENT)) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(now, Ids.timestampOf(paymentId).plus(EXPORTED_AFTER));
        return left.isNegative() ? Duration.ZERO : left.compareTo(EXPORTED_AFTER) > 0 ? EXPORTED_AFTER : left;
    }

    /** A trace at a glance: its id, first span's start, span count, services (sorted) and time from first start to last end. */
    public record Outline(String traceId, long startMicros, int spans, List<String> services, double millis) {

        /** {@code trace} holds a trace's spans ordered by start, as {@link #of} returns them. */
        public static Outline of(List<Span> trace) {
            long start = trace.getFirst().timestampMicros();
            long end = trace.stream().mapToLong(s -> s.timestampMicros() + s.durationMicros()).max().orElse(start);
            TreeSet<String> services = new TreeSet<>();
            trace.forEach(span -> services.add(span.service()));
            return new Outline(trace.getFirst().traceId(), start, trace.size(), List.copyOf(services), (end - start) / 1000.0);
        }
    }

    static void printTree(List<Span> trace, PrintStream out) {
        long start = trace.getFirst().timestampMicros();
        Outline outline = Outline.of(trace);
        out.printf(Locale.ROOT, "trace %s  %d spans, %d services %s, %.1f ms first to last%n", outline.traceId(),
                outline.spans(), outline.services().size(), outline.services(), outline.millis());
        Map<String, Span> byId = new LinkedHashMap<>();
        trace.forEach(span -> byId.put(span.id(), span));
        Map<String, List<Span>> children = new LinkedHashMap<>();
        List<Span> roots = new ArrayList<>();
        for (Span span : trace) {
            if (span.parentId() != null && byId.containsKey(span.parentId()) && !span.parentId().equals(span.id())) {
                children.computeIfAbsent(span.parentId(), id -> new ArrayList<>()).add(span);
            } else {
                roots.add(span);
            }
        }
        for (Span root : roots) {
            printSpan(root, 1, start, children, out);
        }
    }

    private static void printSpan(Span span, int depth, long traceStart, Map<String, List<Span>> children, PrintStream out) {
        StringBuilder tags = new StringBuilder();
        for (String key : SHOWN_TAGS) {
            String value = span.tags().get(key);
            if (value != null) {
                tags.append(' ').append(key).append('=').append(value);
            }
        }
        String indent = "  ".repeat(depth);
        out.printf(Locale.ROOT, "%-60s %9s %9s%s%n", indent + span.service() + "  " + span.name(),
                String.format(Locale.ROOT, "+%.1f", (span.timestampMicros() - traceStart) / 1000.0),
                String.format(Locale.ROOT, "%.1f ms", span.durationMicros() / 1000.0), tags);
        for (Span child : children.getOrDefault(span.id(), List.of())) {
            printSpan(child, depth + 1, traceStart, children, out);
        }
    }

    private static Span span(JsonNode node) {
        Map<String, String> tags = new LinkedHashMap<>();
        node.path("tags").properties().forEach(entry -> tags.put(entry.getKey(), entry.getValue().asString()));
        return new Span(node.path("traceId").asString(), node.path("id").asString(),
                node.hasNonNull("parentId") ? node.path("parentId").asString() : null,
                node.path("localEndpoint").path("serviceName").asString("?"), node.path("name").asString(""),
                node.path("kind").asString(""), node.path("timestamp").asLong(), node.path("duration").asLong(), tags);
    }

    private JsonNode get(String pathAndQuery) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(zipkinUrl + pathAndQuery))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("Zipkin answered " + response.statusCode() + " to " + pathAndQuery + ": "
                        + response.body());
            }
            return Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("Zipkin is not reachable at " + zipkinUrl + "; is the platform up?", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
