package dev.nightjar.common.http;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.springframework.web.client.RestClientException;

/**
 * Whether a service we call is worth calling right now: after {@code failuresToOpen} failed calls in a row
 * (unreachable, timed out, or answering 503) it counts as away for {@code openFor}, doubling up to
 * {@code maxOpenFor} while it keeps failing; then calls go through again and the first success closes it.
 * Callers ask {@link #isAway()} before starting work they cannot finish without the service, so a request
 * is refused in microseconds with a 503 instead of half-done or held for a timeout.
 *
 * <p>A gate, not a guard: it never refuses a call by itself, it only tells; the calls themselves report
 * their outcome, through {@link #observe} or with {@link #succeeded()} and {@link #failed()}.
 */
public final class Availability {

    private final String service;
    private final int failuresToOpen;
    private final long openForNanos;
    private final long maxOpenForNanos;
    private final LongSupplier nanoClock;

    private int consecutiveFailures;
    private long currentOpenForNanos;
    private long awayUntilNanos;
    private boolean away;

    public Availability(String service, int failuresToOpen, Duration openFor, Duration maxOpenFor, LongSupplier nanoClock) {
        if (failuresToOpen < 1 || openFor.isNegative() || openFor.isZero() || maxOpenFor.compareTo(openFor) < 0) {
            throw new IllegalArgumentException("failuresToOpen >= 1 and 0 < openFor <= maxOpenFor");
        }
        this.service = service;
        this.failuresToOpen = failuresToOpen;
        this.openForNanos = openFor.toNanos();
        this.maxOpenForNanos = maxOpenFor.toNanos();
        this.currentOpenForNanos = openForNanos;
        this.nanoClock = nanoClock;
    }

    public Availability(String service, int failuresToOpen, Duration openFor, Duration maxOpenFor) {
        this(service, failuresToOpen, openFor, maxOpenFor, System::nanoTime);
    }

    /** Publishes {@code nightjar.dependency.available{dependency=...}}: 1 while calls go through, 0 while away. */
    public Availability register(MeterRegistry meters) {
        Gauge.builder("nightjar.dependency.available", this, gate -> gate.isAway() ? 0 : 1)
                .description("1 while a called service is taking calls, 0 while it counts as away after failures in a row")
                .tag("dependency", service)
                .register(meters);
        return this;
    }

    public String service() {
        return service;
    }

    /** True while the service counts as away: work that needs it should be refused now rather than started. */
    public synchronized boolean isAway() {
        return away && nanoClock.getAsLong() - awayUntilNanos < 0;
    }

    /**
     * Makes one call to the service and counts its outcome: an answer, or a refusal of the request itself
     * (a 4xx), or a 5xx about the acquirer is a success; no answer or another 5xx is a failure. The call's
     * answer or exception passes through.
     */
    public <T> T observe(Supplier<T> call) {
        try {
            T answer = call.get();
            succeeded();
            return answer;
        } catch (RemoteCallException e) {
            if (e.isClientError() || e.concernsTheAcquirer()) {
                succeeded();
            } else {
                failed();
            }
            throw e;
        } catch (RestClientException e) {
            failed();
            throw e;
        }
    }

    public synchronized void succeeded() {
        consecutiveFailures = 0;
        away = false;
        currentOpenForNanos = openForNanos;
    }

    public synchronized void failed() {
        consecutiveFailures++;
        if (away && nanoClock.getAsLong() - awayUntilNanos >= 0) {
            // the first call after the pause failed too: away again, for longer
            currentOpenForNanos = Math.min(currentOpenForNanos * 2, maxOpenForNanos);
            awayUntilNanos = nanoClock.getAsLong() + currentOpenForNanos;
        } else if (!away && consecutiveFailures >= failuresToOpen) {
            away = true;
            awayUntilNanos = nanoClock.getAsLong() + currentOpenForNanos;
        }
    }
}
