package dev.nightjar.gateway.api;

import dev.nightjar.common.error.ApiException;
import dev.nightjar.common.http.Availability;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A service behind the gateway (transaction-service, the vault) as the gateway lets merchants' requests at
 * it. A request that needs it is admitted only while it answers (after three failed calls in a row it counts
 * as away for a second, doubling up to eight while it keeps failing) and while fewer admitted requests than the
 * gate's bound are at it; any other is refused at once with a 503 and {@code Retry-After}, before any work is
 * done for it. The bound is {@code coldCalls} when the service comes back (and when the gateway starts), and
 * grows evenly to {@code warmCalls} over the {@code warmUp} it then keeps answering.
 *
 * <p>Why: while the service is away every request would tokenize, record its key and fail anyway, work that
 * slows the service's own restart on a busy host; once it is back but cold (its code not yet compiled),
 * every request admitted at once queues on it past the merchant's patience. A few dozen at a time are
 * answered in seconds, and the rest get a fast 503 and come back (measured with the chaos run's kills of
 * transaction-service and the vault: docs/reliability.md). Warm, the same few dozen refused merchants' payments
 * whenever the service paused for a tenth of a second or two (a collection) at a few hundred payments a second:
 * at 200 a second, 64 requests arrive in 0.3 s (docs/performance.md). A warm service's bound is the edge's
 * in-flight limit, so the gate no longer sheds before the edge does.
 */
public final class ServiceGate {

    private final String service;
    private final Availability availability;
    private final AtomicInteger calls = new AtomicInteger();
    private final int coldCalls;
    private final int warmCalls;
    private final long warmUpNanos;
    private final Counter refused;

    public ServiceGate(String service, int coldCalls, int warmCalls, Duration warmUp, MeterRegistry meters) {
        this(service, coldCalls, warmCalls, warmUp, meters, System::nanoTime);
    }

    ServiceGate(String service, int coldCalls, int warmCalls, Duration warmUp, MeterRegistry meters,
                LongSupplier nanoClock) {
        if (coldCalls < 1 || warmCalls < coldCalls || warmUp.isNegative()) {
            throw new IllegalArgumentException("a service gate needs 1 <= cold calls <= warm calls and a warm-up of"
                    + " zero or more, got " + coldCalls + ", " + warmCalls + ", " + warmUp + " for " + service);
        }
        this.service = service;
        this.coldCalls = coldCalls;
        this.warmCalls = warmCalls;
        this.warmUpNanos = warmUp.toNanos();
        this.availability = new Availability(service, 3, Duration.ofSeconds(1), Duration.ofSeconds(8), nanoClock)
                .register(meters);
        this.refused = Counter.builder("nightjar.gateway.refused")
                .description("Merchant requests refused with a fast 503 because the service they need was away or busy")
                .tag("dependency", service)
                .register(meters);
        Gauge.builder("nightjar.gateway.calls", calls, AtomicInteger::get)
                .description("Merchant requests at the service now")
                .tag("dependency", service)
                .register(meters);
        Gauge.builder("nightjar.gateway.calls.limit", this, ServiceGate::bound)
                .description("Merchant requests let at the service at once: few while it has just come back, more as it keeps answering")
                .tag("dependency", service)
                .register(meters);
    }

    /** How many admitted requests may be at the service at once now. */
    int bound() {
        long answering = availability.answeringFor().toNanos();
        if (answering >= warmUpNanos) {
            return warmCalls;
        }
        return coldCalls + (int) ((warmCalls - coldCalls) * (double) answering / warmUpNanos);
    }

    /** Runs a merchant's request that needs the service, or refuses it at once with a 503. */
    public <T> T admit(Supplier<T> request) {
        if (availability.isAway()) {
            refused.increment();
            throw ApiException.unavailable("Payments are not being taken for a moment (" + service
                    + " is not answering); try again shortly.");
        }
        int bound = bound();
        int at;
        do {
            at = calls.get();
            if (at >= bound) {
                refused.increment();
                throw ApiException.busy("Nightjar is working on " + at + " requests at " + service
                        + " already; try again shortly.");
            }
        } while (!calls.compareAndSet(at, at + 1));
        try {
            return request.get();
        } finally {
            calls.decrementAndGet();
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
