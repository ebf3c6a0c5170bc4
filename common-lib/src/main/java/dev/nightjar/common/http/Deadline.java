package dev.nightjar.common.http;

import dev.nightjar.common.error.ApiException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The time a request has left: set where a request enters with its budget ({@link #within}), and read by
 * every call made on its behalf ({@link PooledHttp}), which then waits no longer than its own timeout or
 * the time left, whichever is shorter. A request whose calls each stay within their timeouts can still
 * add up past the client's patience (the idempotency key, the vault, transaction-service, each after a wait
 * for the CPU on a busy host); with a deadline its answer comes within the budget, a 503 with
 * {@code Retry-After} when the work could not be done in time.
 *
 * <p>Per thread: requests run one per (virtual) thread, and a call is made on the request's thread.
 */
public final class Deadline {

    /** Less than this left, a call is not started: it could not be answered in time. */
    static final Duration TOO_LITTLE = Duration.ofMillis(250);

    private static final ThreadLocal<Long> DEADLINE_NANOS = new ThreadLocal<>();

    private Deadline() {
    }

    /** Runs {@code work} with {@code budget} from now as its deadline (or the current one, when sooner). */
    public static <T> T within(Duration budget, Supplier<T> work) {
        try (Scope ignored = start(budget)) {
            return work.get();
        }
    }

    /** Sets {@code budget} from now as the deadline (or keeps the current one, when sooner) until closed. */
    public static Scope start(Duration budget) {
        Long outer = DEADLINE_NANOS.get();
        long deadline = System.nanoTime() + budget.toNanos();
        DEADLINE_NANOS.set(outer == null || deadline - outer < 0 ? deadline : outer);
        return () -> {
            if (outer == null) {
                DEADLINE_NANOS.remove();
            } else {
                DEADLINE_NANOS.set(outer);
            }
        };
    }

    /** A deadline in force until closed. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** The time the current request has left (negative once past), when a deadline is in force. */
    public static Optional<Duration> left() {
        Long deadline = DEADLINE_NANOS.get();
        return deadline == null ? Optional.empty() : Optional.of(Duration.ofNanos(deadline - System.nanoTime()));
    }

    /** Whether {@code left} is too little to start anything that calls another service: see {@link #cap}. */
    public static boolean tooLittle(Duration left) {
        return left.compareTo(TOO_LITTLE) < 0;
    }

    /**
     * How long a call may wait: {@code timeout}, or the time left when that is shorter; {@code null} when no
     * deadline applies. A 503 with {@code Retry-After} when too little time is left to start the call.
     */
    static Duration cap(Duration timeout) {
        Long deadline = DEADLINE_NANOS.get();
        if (deadline == null) {
            return null;
        }
        Duration left = Duration.ofNanos(deadline - System.nanoTime());
        if (tooLittle(left)) {
            throw ApiException.unavailable("Nightjar could not answer this request in time; nothing more was started."
                    + " Retry with the same Idempotency-Key.");
        }
        return timeout == null || left.compareTo(timeout) < 0 ? left : timeout;
    }
}
