package dev.nightjar.platform.chaos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Everything the chaos clients saw: every HTTP exchange (when, how long, what came back) and every answer
 * that acknowledged something (a payment, a capture, a cancel, a refund). Thread-safe; read by windows.
 */
final class Observations {

    /**
     * What one exchange ended with: an HTTP status and the error code of its body, or a transport failure; and
     * how long the gateway said it took ({@code Server-Timing}), NaN when it did not answer.
     */
    record Exchange(long startedNanos, long endedNanos, String operation, int status, String outcome, boolean retryAfter,
                    double gatewayMillis, double waitMillis) {

        boolean failed() {
            return status < 0 || status >= 500;
        }

        Duration took() {
            return Duration.ofNanos(endedNanos - startedNanos);
        }

        /**
         * One line for a report: the operation, how long the client waited and the gateway took, what came back and
         * when ({@code zeroNanos}: the fault's injection).
         */
        String describe(long zeroNanos) {
            return String.format(java.util.Locale.ROOT, "%s answered at %+.1f s after %.1f s (the gateway: %s): %s", operation,
                    (endedNanos - zeroNanos) / 1e9, took().toMillis() / 1000.0,
                    Double.isNaN(gatewayMillis) ? "no Server-Timing" : String.format(java.util.Locale.ROOT, "%.1f s", gatewayMillis / 1000)
                            + (Double.isNaN(waitMillis) ? "" : String.format(java.util.Locale.ROOT,
                                    ", %.1f s of it before it began", waitMillis / 1000)),
                    outcome);
        }
    }

    /** Something the platform acknowledged with a 2xx: which object, its status in that answer, when. */
    record Ack(String objectId, String paymentId, String merchantId, String operation, String status, long atNanos) {
    }

    private final long startNanos;
    private final ConcurrentLinkedQueue<Exchange> exchanges = new ConcurrentLinkedQueue<>();
    private final Map<String, Ack> acks = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Unanswered> unanswered = new ConcurrentLinkedQueue<>();

    /** A request the client gave up on, and when. */
    private record Unanswered(long atNanos, String description) {
    }

    Observations(long startNanos) {
        this.startNanos = startNanos;
    }

    void exchange(Exchange exchange) {
        exchanges.add(exchange);
    }

    /** An acknowledgement; a later answer for the same object (a capture after the payment) replaces it. */
    void ack(Ack ack) {
        acks.merge(ack.objectId(), ack, (earlier, later) -> later.operation().equals("payment") && !earlier.operation().equals("payment")
                ? earlier : later);
    }

    /** A request that got no answer at all before the client gave up on it. */
    void unanswered(String description) {
        unanswered.add(new Unanswered(System.nanoTime(), description));
    }

    List<Ack> acks() {
        return List.copyOf(acks.values());
    }

    /** The requests given up on between two instants (System.nanoTime): one fault's window. */
    List<String> unanswered(long fromNanos, long toNanos) {
        return unanswered.stream().filter(u -> u.atNanos() >= fromNanos && u.atNanos() < toNanos)
                .map(Unanswered::description).toList();
    }

    /** The exchanges that ended between two instants (System.nanoTime). */
    List<Exchange> between(long fromNanos, long toNanos) {
        List<Exchange> window = new ArrayList<>();
        for (Exchange exchange : exchanges) {
            if (exchange.endedNanos() >= fromNanos && exchange.endedNanos() < toNanos) {
                window.add(exchange);
            }
        }
        return window;
    }

    /** Seconds (whole, since the run began) in which at least one exchange failed (5xx or no answer). */
    Set<Long> failedSeconds(List<Exchange> window) {
        Set<Long> seconds = new TreeSet<>();
        for (Exchange exchange : window) {
            if (exchange.failed()) {
                seconds.add((exchange.endedNanos() - startNanos) / 1_000_000_000L);
            }
        }
        return seconds;
    }

    /**
     * What the clients saw over time, one line per {@code step} from {@code fromNanos}: exchanges ended, how many
     * answered 2xx, 503, 4xx, no answer or a lost connection, and the slowest; times relative to {@code zeroNanos}
     * (the fault's injection), so where the bad answers fall against the outage and the return is plain.
     */
    static List<String> timeline(List<Exchange> window, long zeroNanos, Duration step) {
        TreeMap<Long, long[]> buckets = new TreeMap<>();
        for (Exchange exchange : window) {
            long bucket = Math.floorDiv(exchange.endedNanos() - zeroNanos, step.toNanos());
            long[] counts = buckets.computeIfAbsent(bucket, b -> new long[6]);
            int kind = exchange.status() / 100 == 2 ? 0 : exchange.status() == 503 ? 1
                    : exchange.status() >= 400 && exchange.status() < 500 ? 2 : exchange.outcome().startsWith("no answer") ? 3 : 4;
            counts[kind]++;
            counts[5] = Math.max(counts[5], exchange.endedNanos() - exchange.startedNanos());
        }
        List<String> lines = new ArrayList<>();
        buckets.forEach((bucket, c) -> lines.add(String.format("%+5d s  %5d ok  %5d × 503  %4d × 4xx  %5d no answer  %4d other  slowest %.1f s",
                bucket * step.toSeconds(), c[0], c[1], c[2], c[3], c[4], c[5] / 1e9)));
        return lines;
    }

    /** How many exchanges ended with each outcome other than success, e.g. {@code 503 service_unavailable}. */
    static Map<String, Integer> errors(List<Exchange> window) {
        Map<String, Integer> counts = new TreeMap<>();
        for (Exchange exchange : window) {
            if (exchange.status() < 200 || exchange.status() >= 300) {
                counts.merge(exchange.outcome(), 1, Integer::sum);
            }
        }
        return counts;
    }
}
