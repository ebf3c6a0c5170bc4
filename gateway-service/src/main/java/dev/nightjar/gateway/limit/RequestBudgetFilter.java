package dev.nightjar.gateway.limit;

import dev.nightjar.common.http.Deadline;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A merchant's request has {@code budget} from its arrival for every call made on its behalf (the vault,
 * transaction-service): each waits no longer than the time left, and none is started with too little left;
 * the merchant gets a 503 with {@code Retry-After} instead of an answer after its client gave up. Its
 * Idempotency-Key then finds whatever the work became. The budget runs from the request's arrival
 * ({@link ArrivalTimeValve}) when the server marks it.
 */
public final class RequestBudgetFilter extends OncePerRequestFilter {

    private final Duration budget;

    public RequestBudgetFilter(Duration budget) {
        this.budget = budget;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Duration left = budget;
        if (request.getAttribute(ArrivalTimeValve.ARRIVED_NANOS) instanceof Long arrived) {
            // the budget began when the request did, not when a thread was free to run this filter
            left = budget.minusNanos(Math.max(0, System.nanoTime() - arrived));
        }
        try (Deadline.Scope ignored = Deadline.start(left)) {
            chain.doFilter(request, response);
        }
    }
}
