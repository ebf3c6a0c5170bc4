package dev.nightjar.common.observability;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.observation.ServerHttpObservationDocumentation.LowCardinalityKeyNames;
import org.springframework.http.server.observation.ServerRequestObservationConvention;
import org.springframework.web.filter.ServerHttpObservationFilter;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Spring's server observation filter, with the requests that come inside a trace their caller does not record
 * taken without an observation. Such a request gets no recorded span either way, yet Spring's filter made an
 * observation for it: a context with its own maps, the convention's tags worked out at its start and again at its
 * end, every handler asked at each step, a scope opened and closed. Serving requests cost 2.6-3.3 % of
 * transaction-service's and auth-service's CPU in observations and 7.7 % of the vault's, 2.1-2.2 % and 5.3 % with
 * this (docs/performance.md, "Internal calls inside an unrecorded trace without an observation").
 * <p>
 * A request whose W3C {@code traceparent} is well formed and not sampled is served inside a span started from it
 * as Micrometer's receiver handler starts one (not recorded; current while the request is handled, so logs and
 * calls carry its trace), and counted in {@code http_server_requests} with the tags Spring's
 * {@code DefaultServerRequestObservationConvention} gives it and the meter handler's {@code error} tag: the same
 * timer, registered the same way, so meter filters, histograms and SLO buckets apply. The path pattern is the one
 * Spring MVC chose ({@link HandlerMapping#BEST_MATCHING_PATTERN_ATTRIBUTE}), the exception the one the filter would
 * have seen. A request that comes with no {@code traceparent} (a merchant's, at the gateway) starts a trace: where the
 * tracer's sampler can decide ahead ({@link NewTraceSampler}) that it will not be recorded, the request is taken the
 * same way under that trace's root span; where it will be, it is Spring's filter's, whose span takes the decision.
 * Every other request is Spring's filter's, exactly as before, and so is one {@code leftToSpring} names (the
 * warm-up's, which no observation counts).
 */
public final class UnrecordedRequests extends ServerHttpObservationFilter {

    private static final String TRACEPARENT = "traceparent";
    /** The span a request taken here was served in, kept for its async dispatches. */
    private static final String SPAN = UnrecordedRequests.class.getName() + ".span";
    private static final Set<String> METHODS = Stream.of(HttpMethod.values()).map(HttpMethod::name)
            .collect(Collectors.toUnmodifiableSet());

    private final Tracer tracer;
    private final Propagator propagator;
    private final Predicate<HttpServletRequest> leftToSpring;
    private final NewTraceSampler newTraces;
    private final KeptTimers<KeptTimers.Key> timers;

    /**
     * @param name         the observation's name, which is its timer's ({@code http.server.requests} unless Spring
     *                     Boot is told otherwise)
     * @param convention   the convention Spring's filter is to observe the other requests by
     * @param leftToSpring requests to be Spring's filter's whatever their trace
     * @param newTraces    the tracer's sampler, to decide ahead whether a request that comes with no trace starts one
     *                     that is recorded; null when the tracer samples otherwise (every such request is then Spring's)
     */
    public UnrecordedRequests(ObservationRegistry observations, String name, ServerRequestObservationConvention convention,
                              Tracer tracer, Propagator propagator, MeterRegistry registry,
                              Predicate<HttpServletRequest> leftToSpring, NewTraceSampler newTraces) {
        super(observations, convention);
        this.tracer = tracer;
        this.propagator = propagator;
        this.leftToSpring = leftToSpring;
        this.newTraces = newTraces;
        this.timers = new KeptTimers<>(registry, key -> registry.timer(name, tags(key)));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getDispatcherType() == DispatcherType.ASYNC && request.getAttribute(SPAN) instanceof Span span) {
            try (Tracer.SpanInScope scope = tracer.withSpan(span)) {
                chain.doFilter(request, response);
            }
            return;
        }
        if (request.getDispatcherType() != DispatcherType.REQUEST || leftToSpring.test(request)) {
            observed(request, response, chain);
            return;
        }
        String traceparent = request.getHeader(TRACEPARENT);
        if (traceparent == null && newTraces != null) {
            servedInANewTrace(request, response, chain);
            return;
        }
        if (!TraceContexts.unrecorded(traceparent)) {
            observed(request, response, chain);
            return;
        }
        long start = timers.now();
        serve(request, response, chain, start,
                propagator.extract(request, HttpServletRequest::getHeader).kind(Span.Kind.SERVER).start());
    }

    /** Served by Spring's filter, observed; an HTTP/2 request through {@link AnsweredRequest}. */
    private void observed(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        super.doFilterInternal(AnsweredRequest.HTTP_2.equals(request.getProtocol())
                ? new AnsweredRequest(request, response) : request, response, chain);
    }

    /**
     * A request that comes with no trace starts one: when the sampler decides ahead that the new trace is not
     * recorded, the request is served here under its root span (not recorded, so no observation); when it will be,
     * Spring's filter serves it, and its observation's span takes that decision.
     */
    private void servedInANewTrace(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (newTraces.decideAhead()) {
            try {
                // the observation and its span have started when the chain is called: nothing else takes the decision
                observed(request, response, (observed, answered) -> {
                    newTraces.forgetAhead();
                    chain.doFilter(observed, answered);
                });
            } finally {
                newTraces.forgetAhead();
            }
            return;
        }
        long start = timers.now();
        Span span;
        try {
            span = tracer.spanBuilder().setNoParent().kind(Span.Kind.SERVER).start();
        } finally {
            newTraces.forgetAhead();
        }
        serve(request, response, chain, start, span);
    }

    /** Serves a request of a trace nobody records inside {@code span}, counted as Spring's filter counts it. */
    private void serve(HttpServletRequest request, HttpServletResponse response, FilterChain chain, long start, Span span)
            throws ServletException, IOException {
        Throwable error = null;
        try (Tracer.SpanInScope scope = tracer.withSpan(span)) {
            chain.doFilter(request, response);
        } catch (ServletException | IOException | RuntimeException e) {
            error = unwrapped(e);
            response.setStatus(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
            throw e;
        } finally {
            if (request.isAsyncStarted()) {
                request.setAttribute(SPAN, span);
                request.getAsyncContext().addListener(new Counted(request, response, start, span));
            } else {
                record(request, response, start, error);
                span.end();
            }
        }
    }

    /** What Spring's filter takes for the error: a servlet exception's cause, where it has one. */
    private static Throwable unwrapped(Throwable thrown) {
        return thrown instanceof ServletException && thrown.getCause() != null ? thrown.getCause() : thrown;
    }

    int kept() {
        return timers.size();
    }

    /** Counts the request, with the exception Spring's filter would have taken: one the error page names, or its own. */
    private void record(HttpServletRequest request, HttpServletResponse response, long start, Throwable error) {
        long took = timers.now() - start;
        Throwable named = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable fetched
                ? fetched : error;
        String method = request.getMethod();
        KeptTimers.Key key = new KeptTimers.Key(METHODS.contains(method) ? method : "UNKNOWN",
                (String) request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE), null,
                response.getStatus(), named == null ? null : named.getClass());
        timers.timer(key).record(took, TimeUnit.NANOSECONDS);
    }

    /** Spring's tags for the request ({@code DefaultServerRequestObservationConvention}) and the {@code error} tag. */
    private static List<Tag> tags(KeptTimers.Key key) {
        return List.of(
                Tag.of(LowCardinalityKeyNames.EXCEPTION.asString(), key.exceptionTag()),
                Tag.of(LowCardinalityKeyNames.METHOD.asString(), key.first),
                Tag.of(LowCardinalityKeyNames.OUTCOME.asString(), KeptTimers.outcome(key.status)),
                Tag.of(LowCardinalityKeyNames.STATUS.asString(), Integer.toString(key.status)),
                Tag.of(LowCardinalityKeyNames.URI.asString(), uri(key.second, key.status)),
                Tag.of("error", key.errorTag()));
    }

    private static String uri(String pattern, int status) {
        if (pattern != null) {
            return pattern.isEmpty() ? "root" : pattern;
        }
        if (status >= 300 && status < 400 && HttpStatus.resolve(status) != null) {
            return "REDIRECTION";
        }
        return status == 404 ? "NOT_FOUND" : "UNKNOWN";
    }

    /** Counts a request whose handling went async when it completes (or times out), once. */
    private final class Counted implements AsyncListener {

        private final HttpServletRequest request;
        private final HttpServletResponse response;
        private final long start;
        private final Span span;
        private Throwable error;
        private boolean counted;

        Counted(HttpServletRequest request, HttpServletResponse response, long start, Span span) {
            this.request = request;
            this.response = response;
            this.start = start;
            this.span = span;
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            event.getAsyncContext().addListener(this);
        }

        @Override
        public void onError(AsyncEvent event) {
            error = unwrapped(event.getThrowable());
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            count();
        }

        @Override
        public void onComplete(AsyncEvent event) {
            count();
        }

        private synchronized void count() {
            if (!counted) {
                counted = true;
                record(request, response, start, error);
                span.end();
            }
        }
    }
}
