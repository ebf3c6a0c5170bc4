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

    /** What one exchange ended with: an HTTP status and the error code of its body, or a transport failure. */
    record Exchange(long startedNanos, long endedNanos, String operation, int status, String outcome, boolean retryAfter) {

        boolean failed() {
            return status < 0 || status >= 500;
        }

        Duration took() {
            return Duration.ofNanos(endedNanos - startedNanos);
        }
    }

    /** Something the platform acknowledged with a 2xx: which object, its status in that answer, when. */
    record Ack(String objectId, String paymentId, String merchantId, String operation, String status, long atNanos) {
    }

    private final long startNanos;
    private final ConcurrentLinkedQueue<Exchange> exchanges = new ConcurrentLinkedQueue<>();
    private final Map<String, Ack> acks = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> unanswered = new ConcurrentLinkedQueue<>();

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
        unanswered.add(description);
    }

    List<Ack> acks() {
        return List.copyOf(acks.values());
    }

    List<String> unanswered() {
        return List.copyOf(unanswered);
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
