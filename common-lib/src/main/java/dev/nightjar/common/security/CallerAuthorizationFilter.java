package dev.nightjar.common.security;

import dev.nightjar.common.error.ApiError;
import dev.nightjar.common.error.ErrorResponse;
import dev.nightjar.common.error.ErrorType;
import dev.nightjar.contracts.json.Json;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.function.Predicate;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.server.PathContainer;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Refuses every call on a protected path whose caller the {@link CallGraph} does not allow (403), and
 * every call without a proven identity (401). Paths outside {@code protectedPrefixes} (a gateway's
 * merchant API) pass untouched; the management port is a different server and never sees this filter.
 */
public final class CallerAuthorizationFilter extends OncePerRequestFilter {

    /** The request attribute holding the verified caller's workload name. */
    public static final String CALLER_ATTRIBUTE = "dev.nightjar.security.caller";

    private static final Logger log = LoggerFactory.getLogger(CallerAuthorizationFilter.class);

    private record CompiledRule(PathPattern pattern, Set<String> callers) {
    }

    private final String self;
    private final Predicate<HttpServletRequest> fromThisProcess;
    private final List<CompiledRule> rules;
    /** An array walked by a loop: a stream per request was half a percent of the vault's CPU on C1. */
    private final String[] protectedPrefixes;
    private final CallerIdentityResolver resolver;

    /**
     * @param service         the service whose rules apply
     * @param self            the identity its own certificate names
     * @param fromThisProcess whether a request was sent by this very process (its warm-up's, by a value drawn
     *                        at the start that never leaves it): only such a request may come from {@code self}
     *                        past the rules. The service's certificate alone gets no further than the call graph
     *                        lets it, so a stolen key is worth no more than before.
     */
    public CallerAuthorizationFilter(String service, String self, Predicate<HttpServletRequest> fromThisProcess,
                                     List<String> protectedPrefixes, CallerIdentityResolver resolver) {
        this.self = self;
        this.fromThisProcess = fromThisProcess;
        PathPatternParser parser = new PathPatternParser();
        this.rules = CallGraph.rulesFor(service).stream()
                .map(rule -> new CompiledRule(parser.parse(rule.pathPattern()), rule.callers()))
                .toList();
        this.protectedPrefixes = protectedPrefixes.toArray(String[]::new);
        this.resolver = resolver;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI();
        for (String prefix : protectedPrefixes) {
            if (path.startsWith(prefix)) {
                return false;
            }
        }
        return true;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String caller = resolver.resolve(request);
        if (caller == null) {
            log.warn("refused {} {} from {}: no client identity", request.getMethod(), request.getRequestURI(),
                    request.getRemoteAddr());
            refuse(response, 401, ErrorType.AUTHENTICATION, "client_certificate_required",
                    "This endpoint requires a client certificate naming the calling service.");
            return;
        }
        if (caller.equals(self) && fromThisProcess.test(request)) {
            request.setAttribute(CALLER_ATTRIBUTE, caller);
            chain.doFilter(request, response);
            return;
        }
        PathContainer path = PathContainer.parsePath(request.getRequestURI());
        for (CompiledRule rule : rules) {
            if (rule.pattern().matches(path)) {
                if (rule.callers().contains(caller)) {
                    request.setAttribute(CALLER_ATTRIBUTE, caller);
                    chain.doFilter(request, response);
                    return;
                }
                break;
            }
        }
        // An invalid access attempt: logged for the security record (PCI DSS 10.2.1.4).
        log.warn("refused {} {} from {}: {} is not allowed by the call graph", request.getMethod(),
                request.getRequestURI(), request.getRemoteAddr(), caller);
        refuse(response, 403, ErrorType.PERMISSION, "caller_not_allowed",
                "Caller '" + caller + "' may not call " + request.getMethod() + " " + request.getRequestURI() + ".");
    }

    private static void refuse(HttpServletResponse response, int status, ErrorType type, String code, String message)
            throws IOException {
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        Json.MAPPER.writeValue(response.getOutputStream(), new ErrorResponse(ApiError.of(type, code, message)));
    }
}
