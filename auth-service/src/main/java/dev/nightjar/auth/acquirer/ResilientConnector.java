package dev.nightjar.auth.acquirer;

import dev.nightjar.common.http.ConnectionWarmUp;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * An acquirer behind its own circuit breaker and bulkhead. The bulkhead bounds the calls in flight to this
 * acquirer, so a slow one holds at most that many threads and never starves the others; the breaker
 * stops calling an acquirer that keeps failing or timing out, and lets a few calls through after a pause
 * to see whether it is back. A call refused by either never reached the acquirer: it comes back
 * {@link AcquirerResult.Failed}, so the router may try another acquirer. Declines are answers, not
 * failures; errors and timeouts count against the breaker, a call that was never tried does not.
 */
public final class ResilientConnector implements AcquirerConnector {

    private final AcquirerConnector delegate;
    private final CircuitBreaker breaker;
    private final Bulkhead bulkhead;

    public ResilientConnector(AcquirerConnector delegate, CircuitBreaker breaker, Bulkhead bulkhead) {
        this.delegate = delegate;
        this.breaker = breaker;
        this.bulkhead = bulkhead;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public Optional<ConnectionWarmUp.Target> warmUp() {
        return delegate.warmUp();
    }

    public CircuitBreaker.State state() {
        return breaker.getState();
    }

    @Override
    public AcquirerResult authorize(String reference, String merchantId, long amountMinor, String currency, Card card,
                                    boolean capture) {
        return guarded(() -> delegate.authorize(reference, merchantId, amountMinor, currency, card, capture));
    }

    @Override
    public AcquirerResult capture(String reference, String authorization, long amountMinor, String currency) {
        return guarded(() -> delegate.capture(reference, authorization, amountMinor, currency));
    }

    @Override
    public AcquirerResult voidAuthorization(String reference, String authorization) {
        return guarded(() -> delegate.voidAuthorization(reference, authorization));
    }

    @Override
    public AcquirerResult refund(String reference, String authorization, long amountMinor, String currency) {
        return guarded(() -> delegate.refund(reference, authorization, amountMinor, currency));
    }

    private AcquirerResult guarded(Supplier<AcquirerResult> call) {
        if (!bulkhead.tryAcquirePermission()) {
            return AcquirerResult.Failed.notTried(name() + " has " + bulkhead.getBulkheadConfig().getMaxConcurrentCalls()
                    + " calls in flight (bulkhead full)");
        }
        try {
            if (!breaker.tryAcquirePermission()) {
                return AcquirerResult.Failed.notTried("the circuit breaker of " + name() + " is open");
            }
            long started = System.nanoTime();
            AcquirerResult result;
            try {
                result = call.get();
            } catch (RuntimeException e) {
                breaker.onError(System.nanoTime() - started, TimeUnit.NANOSECONDS, e);
                throw e;
            }
            long elapsed = System.nanoTime() - started;
            switch (result) {
                // never tried (no turn for a handshake): nothing learned about the acquirer, the permission goes back
                case AcquirerResult.Failed failed when !failed.tried() -> breaker.releasePermission();
                case AcquirerResult.Failed failed -> breaker.onError(elapsed, TimeUnit.NANOSECONDS, new AcquirerFailure(failed.reason()));
                case AcquirerResult.Unknown unknown -> breaker.onError(elapsed, TimeUnit.NANOSECONDS, new AcquirerFailure(unknown.reason()));
                default -> breaker.onSuccess(elapsed, TimeUnit.NANOSECONDS);
            }
            return result;
        } finally {
            bulkhead.onComplete();
        }
    }

    /** What the breaker counts: a failure or a timeout at the acquirer. */
    static final class AcquirerFailure extends RuntimeException {

        private static final long serialVersionUID = 1L;

        AcquirerFailure(String reason) {
            super(reason, null, false, false);
        }
    }
}
