package dev.nightjar.gateway.limit;

import dev.nightjar.common.error.ApiError;
import dev.nightjar.common.error.ErrorType;
import dev.nightjar.common.web.FilterErrors;
import dev.nightjar.gateway.security.SecurityConfiguration;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Applies the merchant's rate limit as soon as the bearer token has named the merchant, before any body
 * is read or any service is called. A refused request is a 429 with {@code Retry-After} (whole seconds,
 * at least 1); every answer carries {@code RateLimit-Limit} and {@code RateLimit-Remaining}.
 */
public final class RateLimitFilter extends OncePerRequestFilter {

    private final RateLimits limits;
    private final Counter refused;

    public RateLimitFilter(RateLimits limits, MeterRegistry meters) {
        this.limits = limits;
        this.refused = Counter.builder("nightjar.gateway.rate_limited").description("Requests refused by a rate limit")
                .register(meters);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (!(authentication instanceof JwtAuthenticationToken jwt)) {
            chain.doFilter(request, response);
            return;
        }
        String merchantId = jwt.getToken().getClaimAsString(SecurityConfiguration.MERCHANT_ID_CLAIM);
        if (merchantId == null) {
            chain.doFilter(request, response);
            return;
        }
        RateLimits.Decision decision = limits.tryAcquire(merchantId);
        response.setHeader("RateLimit-Limit", Integer.toString(decision.limit().perSecond()));
        response.setHeader("RateLimit-Remaining", Long.toString(decision.remaining()));
        if (decision.allowed()) {
            chain.doFilter(request, response);
            return;
        }
        refused.increment();
        long seconds = Math.max(1, (decision.retryAfter().toMillis() + 999) / 1000);
        response.setHeader("Retry-After", Long.toString(seconds));
        FilterErrors.answer(response, 429, ApiError.of(ErrorType.RATE_LIMIT,
                "rate_limit_exceeded", "Too many requests: the limit is " + decision.limit().perSecond()
                        + " per second (bursts up to " + decision.limit().burst() + "); retry after " + seconds + " s."));
    }
}
