package dev.nightjar.common.web;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A bound on the requests a service works on at once. Requests run on virtual threads, so nothing else bounds
 * them: a flood (clients retrying through an outage, say) would pile up requests, buffers and connections
 * until the heap runs out, and each admitted request would wait for the CPU behind all the others. Past the
 * {@link AdmissionLimit} of the moment a request is answered at once with a 503, {@code Retry-After} and
 * {@link dev.nightjar.common.error.ApiException#BUSY}, before anything is read or written, and counted
 * ({@code nightjar.requests.shed}).
 */
public final class InFlightLimitFilter extends OncePerRequestFilter {

    private final AdmissionLimit limit;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Counter shed;

    public InFlightLimitFilter(AdmissionLimit limit, MeterRegistry meters) {
        this.limit = limit;
        this.shed = Counter.builder("nightjar.requests.shed")
                .description("Requests refused with a 503 because the service was already working on its maximum")
                .register(meters);
        Gauge.builder("nightjar.requests.in_flight", inFlight, AtomicInteger::get)
                .description("Requests the service is working on").register(meters);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        limit.requested();
        int admitted = admit();
        if (admitted < 0) {
            shed.increment();
            FilterErrors.busy(response, "Nightjar is working on as many requests here as it can answer quickly"
                    + " (" + -admitted + " now); try again shortly.");
            return;
        }
        try {
            chain.doFilter(request, response);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /** The requests in flight with this one, or minus the limit when this one is not admitted. */
    private int admit() {
        while (true) {
            int now = inFlight.get();
            int allowed = limit.current();
            if (now >= allowed) {
                return -allowed;
            }
            if (inFlight.compareAndSet(now, now + 1)) {
                return now + 1;
            }
        }
    }

    @Override
    protected boolean shouldNotFilterAsyncDispatch() {
        return true;
    }
}
