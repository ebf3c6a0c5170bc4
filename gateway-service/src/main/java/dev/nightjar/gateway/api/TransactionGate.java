package dev.nightjar.gateway.api;

import dev.nightjar.common.error.ApiException;
import dev.nightjar.common.http.Availability;
import dev.nightjar.common.http.RemoteCallException;
import dev.nightjar.common.security.Identities;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClientException;

/**
 * transaction-service as the gateway lets merchants' requests at it. A request that needs it is admitted
 * only while it answers (after three failed calls in a row it counts as away for a second, doubling up to
 * eight while it keeps failing) and while fewer than {@code maxCalls} admitted requests are at it; any other
 * is refused at once with a 503 and {@code Retry-After}, before the card is tokenized (the Idempotency-Key is
 * looked up first, so a merchant asking again about an answered request gets its answer meanwhile).
 *
 * <p>Why: while transaction-service is away every request would tokenize, record its key and fail anyway,
 * work that slows the service's own restart on a busy host; once it is back but cold (its code not yet
 * compiled), every request admitted at once queues on it past the merchant's patience. A few dozen at a
 * time are answered in seconds, and the rest get a fast 503 and come back (measured with the chaos run's
 * kill of transaction-service: docs/reliability.md).
 */
@Component
public final class TransactionGate {

    private final Availability availability;
    private final Semaphore calls;
    private final int maxCalls;
    private final Counter refused;

    public TransactionGate(@Value("${nightjar.gateway.transaction-calls:64}") int maxCalls, MeterRegistry meters) {
        this.maxCalls = maxCalls;
        this.calls = new Semaphore(maxCalls);
        this.availability = new Availability(Identities.TRANSACTION, 3, Duration.ofSeconds(1), Duration.ofSeconds(8))
                .register(meters);
        this.refused = Counter.builder("nightjar.gateway.refused")
                .description("Merchant requests refused with a fast 503 because transaction-service was away or busy")
                .register(meters);
        Gauge.builder("nightjar.gateway.transaction_calls", calls, permits -> maxCalls - permits.availablePermits())
                .description("Merchant requests at transaction-service now").register(meters);
    }

    /** Runs a merchant's request that needs transaction-service, or refuses it at once with a 503. */
    public <T> T admit(Supplier<T> request) {
        if (availability.isAway()) {
            refused.increment();
            throw ApiException.unavailable("Payments are not being taken for a moment; try again shortly.");
        }
        if (!calls.tryAcquire()) {
            refused.increment();
            throw ApiException.unavailable("Nightjar is working on " + maxCalls + " payment requests here already;"
                    + " try again shortly.");
        }
        try {
            return request.get();
        } finally {
            calls.release();
        }
    }

    /** One call to transaction-service, its outcome counted: no answer, or a 5xx, is a failure. */
    public <T> T call(Supplier<T> call) {
        try {
            T answer = call.get();
            availability.succeeded();
            return answer;
        } catch (RemoteCallException e) {
            if (e.isClientError()) {
                availability.succeeded();
            } else {
                availability.failed();
            }
            throw e;
        } catch (RestClientException e) {
            availability.failed();
            throw e;
        }
    }

    /** A read: admitted, then called. */
    public <T> T fetch(Supplier<T> call) {
        return admit(() -> call(call));
    }
}
