package dev.nightjar.gateway.limit;

import dev.nightjar.common.http.Deadline;
import dev.nightjar.common.web.FilterErrors;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A merchant's request has {@code budget} from its arrival for every call made on its behalf (the vault,
 * transaction-service): each waits no longer than the time left, and none is started with too little left;
 * the merchant gets a 503 with {@code Retry-After} instead of an answer after its client gave up. Its
 * Idempotency-Key then finds whatever the work became. The budget runs from the request's arrival
 * ({@link ArrivalTimeValve}) when the server marks it.
 *
 * <p>Every answer says how long the gateway took over it, from the request's first byte to the moment its
 * body began to be written: {@code Server-Timing: gateway;dur=<milliseconds>} (W3C Server Timing). A client
 * that waited longer than that waited on the network, on the TLS handshake of a new connection, or on itself;
 * the chaos run reads it to tell the two apart. {@code wait;dur=<milliseconds>} is the part of it spent before
 * the gateway began on the request: the TLS handshake of a new connection, the wait for a CPU.
 *
 * <p>A request whose budget is spent by the time the gateway begins on it (a just-restarted gateway working
 * through every client's new connection at once, say) is answered at once with that 503, before anything is
 * read or written, and counted ({@code nightjar.requests.expired}): its client is about to give up, and the
 * work would only delay the requests behind it.
 */
public final class RequestBudgetFilter extends OncePerRequestFilter {

    public static final String SERVER_TIMING = "Server-Timing";

    private final Duration budget;
    private final Counter expired;

    public RequestBudgetFilter(Duration budget, MeterRegistry meters) {
        this.budget = budget;
        this.expired = Counter.builder("nightjar.requests.expired")
                .description("Requests answered with a 503 because their time was spent before the gateway began on them")
                .register(meters);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long arrived = System.nanoTime();
        if (request.getAttribute(ArrivalTimeValve.ARRIVED_NANOS) instanceof Long marked) {
            // the budget began when the request did, not when a thread was free to run this filter
            arrived = Math.min(arrived, marked);
        }
        long began = System.nanoTime();
        Duration left = budget.minusNanos(began - arrived);
        TimedResponse timed = new TimedResponse(response, arrived, began);
        if (Deadline.tooLittle(left)) {
            expired.increment();
            FilterErrors.unavailable(timed, "Nightjar could not begin on this request in time; nothing was started."
                    + " Retry with the same Idempotency-Key.");
            return;
        }
        try (Deadline.Scope ignored = Deadline.start(left)) {
            chain.doFilter(request, timed);
        } finally {
            timed.stamp();
        }
    }

    /** The response, stamped with the gateway's time when its body is about to be written (or at the end). */
    private static final class TimedResponse extends HttpServletResponseWrapper {

        private final long arrivedNanos;
        private final long beganNanos;
        private boolean stamped;

        TimedResponse(HttpServletResponse response, long arrivedNanos, long beganNanos) {
            super(response);
            this.arrivedNanos = arrivedNanos;
            this.beganNanos = beganNanos;
        }

        void stamp() {
            if (!stamped && !isCommitted()) {
                setHeader(SERVER_TIMING, String.format(Locale.ROOT, "gateway;dur=%.1f, wait;dur=%.1f",
                        (System.nanoTime() - arrivedNanos) / 1e6, (beganNanos - arrivedNanos) / 1e6));
            }
            stamped = true;
        }

        @Override
        public ServletOutputStream getOutputStream() throws IOException {
            stamp();
            return super.getOutputStream();
        }

        @Override
        public PrintWriter getWriter() throws IOException {
            stamp();
            return super.getWriter();
        }

        @Override
        public void flushBuffer() throws IOException {
            stamp();
            super.flushBuffer();
        }

        @Override
        public void sendError(int status, String message) throws IOException {
            stamp();
            super.sendError(status, message);
        }

        @Override
        public void sendError(int status) throws IOException {
            stamp();
            super.sendError(status);
        }
    }
}
