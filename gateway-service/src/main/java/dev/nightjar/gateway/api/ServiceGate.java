package dev.nightjar.gateway.api;

import dev.nightjar.common.error.ApiException;
import dev.nightjar.common.http.Availability;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * A service behind the gateway (transaction-service, the vault) as the gateway lets merchants' requests at
 * it. A request that needs it is admitted only while it answers (after three failed calls in a row it counts
 * as away for a second, doubling up to eight while it keeps failing) and while fewer than {@code maxCalls}
 * admitted requests are at it; any other is refused at once with a 503 and {@code Retry-After}, before any
 * work is done for it.
 *
 * <p>Why: while the service is away every request would tokenize, record its key and fail anyway, work that
 * slows the service's own restart on a busy host; once it is back but cold (its code not yet compiled),
 * every request admitted at once queues on it past the merchant's patience. A few dozen at a time are
 * answered in seconds, and the rest get a fast 503 and come back (measured with the chaos run's kills of
 * transaction-service and the vault: docs/reliability.md).
 */
public final class ServiceGate {

    private final String service;
    private final Availability availability;
    private final Semaphore calls;
    private final int maxCalls;
    private final Counter refused;

    public ServiceGate(String service, int maxCalls, MeterRegistry meters) {
        this.service = service;
        this.maxCalls = maxCalls;
        this.calls = new Semaphore(maxCalls);
        this.availability = new Availability(service, 3, Duration.ofSeconds(1), Duration.ofSeconds(8)).register(meters);
        this.refused = Counter.builder("nightjar.gateway.refused")
                .description("Merchant requests refused with a fast 503 because the service they need was away or busy")
                .tag("dependency", service)
                .register(meters);
        Gauge.builder("nightjar.gateway.calls", calls, permits -> maxCalls - permits.availablePermits())
                .description("Merchant requests at the service now")
                .tag("dependency", service)
                .register(meters);
    }

    /** Runs a merchant's request that needs the service, or refuses it at once with a 503. */
    public <T> T admit(Supplier<T> request) {
        if (availability.isAway()) {
            refused.increment();
            throw ApiException.unavailable("Payments are not being taken for a moment (" + service
                    + " is not answering); try again shortly.");
        }
        if (!calls.tryAcquire()) {
            refused.increment();
            throw ApiException.unavailable("Nightjar is working on " + maxCalls + " requests at " + service
                    + " already; try again shortly.");
        }
        try {
            return request.get();
        } finally {
            calls.release();
        }
    }

    /** One call to the service, its outcome counted ({@link Availability#observe}). */
    public <T> T call(Supplier<T> call) {
        return availability.observe(call);
    }

    /** Admitted, then called: a request whose only work at the service is this call. */
    public <T> T fetch(Supplier<T> call) {
        return admit(() -> call(call));
    }
}
