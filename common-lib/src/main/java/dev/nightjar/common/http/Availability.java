package dev.nightjar.common.http;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.springframework.web.client.RestClientException;

/**
 * Whether a service we call is worth calling right now: after {@code failuresToOpen} failed calls in a row
 * (unreachable, timed out, or answering 503 other than busy) it counts as away for {@code openFor}, doubling up to
 * {@code maxOpenFor} while it keeps failing. After the pause one trial call goes through (another one only
 * if no outcome came within {@code openFor}); its success brings the service back for every caller, its
 * failure starts a longer pause. Callers ask {@link #isAway()} before starting work they cannot finish without
 * the service, so a request is refused in microseconds with a 503 instead of half-done or held for a timeout.
 *
 * <p>Why one trial, not every waiting caller: a service just restarted is cold (its code interpreted, its TLS
 * handshakes slow on a busy host). Every caller let through at once would open a connection each, time out
 * together, and keep the service away for the longest pause while it could have answered them one by one
 * (measured in the chaos run's kills: docs/reliability.md).
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
    private boolean trialOut;
    private long trialUntilNanos;
    private long answeringSinceNanos;

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
        this.answeringSinceNanos = nanoClock.getAsLong();
    }

    public Availability(String service, int failuresToOpen, Duration openFor, Duration maxOpenFor) {
        this(service, failuresToOpen, openFor, maxOpenFor, System::nanoTime);
    }

    /** Publishes {@code nightjar.dependency.available{dependency=...}}: 1 while calls go through, 0 while away. */
    public Availability register(MeterRegistry meters) {
        Gauge.builder("nightjar.dependency.available", this, gate -> gate.counted() ? 0 : 1)
                .description("1 while a called service is taking calls, 0 while it counts as away after failures in a row")
                .tag("dependency", service)
                .register(meters);
        return this;
    }

    public String service() {
        return service;
    }

    /**
     * True while the service counts as away: work that needs it should be refused now rather than started.
     * After a pause, false for one caller (the trial), then true again until the trial's outcome is counted
     * or {@code openFor} has passed without one.
     */
    public synchronized boolean isAway() {
        if (!away) {
            return false;
        }
        long now = nanoClock.getAsLong();
        if (now - awayUntilNanos < 0 || trialOut && now - trialUntilNanos < 0) {
            return true;
        }
        trialOut = true;
        trialUntilNanos = now + openForNanos;
        return false;
    }

    /**
     * Makes one call to the service and counts its outcome: an answer, or a refusal of the request itself
     * (a 4xx), or a 5xx about the acquirer is a success; no answer or another 5xx is a failure. Two count as
     * neither: a call that never got its turn for a TLS handshake ({@link HandshakeGate}) asked nothing, and a
     * busy 503 ({@link RemoteCallException#isBusy()}) was shed at once by a service that is up, so a burst
     * it sheds during a pause does not make it away for everyone. The call's answer or exception passes through.
     */
    public <T> T observe(Supplier<T> call) {
        try {
            T answer = call.get();
            succeeded();
            return answer;
        } catch (RemoteCallException e) {
            if (e.isClientError() || e.concernsTheAcquirer()) {
                succeeded();
            } else if (!e.isBusy()) {
                failed();
            }
            throw e;
        } catch (RestClientException e) {
            if (!NoHandshakeTurn.among(e)) {
                failed();
            }
            throw e;
        }
    }

    /** Whether it counts as away, paused or on trial; unlike {@link #isAway()}, hands out no trial. */
    private synchronized boolean counted() {
        return away;
    }

    /**
     * How long the service has been answering: since it came back from its last time away, or since this was
     * created if it never was; zero while it counts as away.
     */
    public synchronized Duration answeringFor() {
        return away ? Duration.ZERO : Duration.ofNanos(nanoClock.getAsLong() - answeringSinceNanos);
    }

    public synchronized void succeeded() {
        if (away) {
            answeringSinceNanos = nanoClock.getAsLong();
        }
        consecutiveFailures = 0;
        away = false;
        trialOut = false;
        currentOpenForNanos = openForNanos;
    }

    public synchronized void failed() {
        consecutiveFailures++;
        if (away && nanoClock.getAsLong() - awayUntilNanos >= 0) {
            // a call after the pause failed too: away again, for longer
            currentOpenForNanos = Math.min(currentOpenForNanos * 2, maxOpenForNanos);
            awayUntilNanos = nanoClock.getAsLong() + currentOpenForNanos;
            trialOut = false;
        } else if (!away && consecutiveFailures >= failuresToOpen) {
            away = true;
            awayUntilNanos = nanoClock.getAsLong() + currentOpenForNanos;
        }
    }
}
