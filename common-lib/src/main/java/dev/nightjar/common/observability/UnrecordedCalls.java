package dev.nightjar.common.observability;

import dev.nightjar.common.http.ForwardingRequest;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpRequest;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.ClientHttpRequest;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.http.client.observation.ClientHttpObservationDocumentation.LowCardinalityKeyNames;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientResponseException;

/**
 * Internal calls made inside a trace that is not recorded, passed on and timed without Micrometer's
 * {@code Observation}. Such a call gets no span either way ({@link UntracedSends}), yet Spring's client observation
 * still made an observation for it: a context with its own maps, the convention's tags worked out at its start and
 * again at its end, every handler asked at each step, a scope opened and closed. Calls cost 3.4-4.9 % of the
 * gateway's, transaction-service's and auth-service's CPU in observations, 2.7-3.7 % with this (docs/performance.md,
 * "Internal calls inside an unrecorded trace without an observation"); most calls are inside unrecorded traces
 * (nine in ten where one trace in ten is recorded).
 * <p>
 * The requests of {@link #requestFactory} pass the caller's trace on ({@code traceparent}, not sampled, as
 * {@link UntracedSends} does) and count the call in {@code http_client_requests} with the tags Spring's observation
 * gives it under {@link CallPathConvention}, and its {@code error} tag: the same timer, registered the same way, so
 * meter filters and histograms apply. The timer stops when the response is closed, after its body was read and its
 * status handled, as the observation stops. An error answer's exception is the one its status handler names
 * ({@link #failed}), or where none does, the one Spring's default status handler throws for its status (a client
 * with a status handler of its own names its exceptions); a connection that fails is a
 * {@code ResourceAccessException}, as Spring's client reports it.
 * One difference: a 2xx answer whose body cannot be read counts without an exception here, where the observation
 * would name the client's {@code RestClientException}; the caller sees that exception all the same.
 * <p>
 * Whether a call is made this way is decided before it starts ({@link #now}), so a client chosen by it serves
 * the whole call.
 */
public final class UnrecordedCalls {

    /** The attribute Spring's {@link RestClient} gives a request: the URI template it was called with. */
    static final String URI_TEMPLATE = RestClient.class.getName() + ".uriTemplate";
    static final String NAME = "http.client.requests";
    /** Status for a call with no answer, and for an answer whose status could not be read: Spring's values. */
    private static final int NO_ANSWER = -1;
    private static final int UNREADABLE = -2;
    private static final String NONE = "none";
    private static final Map<Integer, Class<?>> DEFAULT_EXCEPTIONS = new ConcurrentHashMap<>();

    private final Tracer tracer;
    private final Propagator propagator;
    private final KeptTimers<KeptTimers.Key> timers;

    public UnrecordedCalls(Tracer tracer, Propagator propagator, MeterRegistry registry) {
        this.tracer = tracer;
        this.propagator = propagator;
        this.timers = new KeptTimers<>(registry, key -> registry.timer(NAME, tags(key)));
    }

    /** Whether a call made now, on this thread, is inside a trace that is not recorded. */
    public boolean now() {
        TraceContext trace = tracer.currentTraceContext().context();
        return trace != null && Boolean.FALSE.equals(trace.sampled());
    }

    /** Requests from {@code delegate} made as described above, for a client with no observation of its own. */
    public ClientHttpRequestFactory requestFactory(ClientHttpRequestFactory delegate) {
        return (uri, method) -> new Call(delegate.createRequest(uri, method));
    }

    /**
     * A target's two clients over one connection pool: the observed one, and one for calls made inside an unrecorded
     * trace (requests from {@link #requestFactory}, no observation). Get the client for each call ({@link #client}).
     */
    public static final class Clients {

        private final UnrecordedCalls unrecorded;
        private final RestClient observed;
        private final RestClient unobserved;

        private Clients(UnrecordedCalls unrecorded, RestClient observed, RestClient unobserved) {
            this.unrecorded = unrecorded;
            this.observed = observed;
            this.unobserved = unobserved;
        }

        /** The client for a call made now, on this thread. */
        public RestClient client() {
            return unrecorded != null && unrecorded.now() ? unobserved : observed;
        }

        /** The observed client, for calls made outside any request (a warm-up). */
        public RestClient observed() {
            return observed;
        }
    }

    /**
     * The two clients of a target, from {@code configured} (everything set but the request factory; cloned for
     * each) over {@code requestFactory}'s pool; with {@code unrecorded} null, every call is observed.
     */
    public static Clients clients(UnrecordedCalls unrecorded, RestClient.Builder configured,
                                  ClientHttpRequestFactory requestFactory) {
        RestClient observed = configured.clone().requestFactory(requestFactory).build();
        return new Clients(unrecorded, observed, unrecorded == null ? observed : configured.clone()
                .requestFactory(unrecorded.requestFactory(requestFactory))
                .observationRegistry(ObservationRegistry.NOOP)
                .build());
    }

    /**
     * Names {@code error}, which a status handler is about to throw for the answer to {@code request}, as the call's
     * exception; returns it. Does nothing for a request not made here.
     */
    public static <E extends Throwable> E failed(HttpRequest request, E error) {
        if (request instanceof Call call) {
            call.error = error;
        }
        return error;
    }

    int kept() {
        return timers.size();
    }

    private void record(Call call, long start, int status, Class<?> error) {
        long took = timers.now() - start;
        KeptTimers.Key key = new KeptTimers.Key(call.getURI().getHost(), call.getMethod().name(),
                (String) call.getAttributes().get(URI_TEMPLATE), status, error);
        timers.timer(key).record(took, TimeUnit.NANOSECONDS);
    }

    /** Spring's tags for the call ({@code DefaultClientRequestObservationConvention}, {@link CallPathConvention}). */
    private static List<Tag> tags(KeptTimers.Key key) {
        String host = key.first;
        String template = key.third;
        return List.of(
                Tag.of(LowCardinalityKeyNames.CLIENT_NAME.asString(), host == null ? NONE : host),
                Tag.of(LowCardinalityKeyNames.EXCEPTION.asString(), key.exceptionTag()),
                Tag.of(LowCardinalityKeyNames.METHOD.asString(), key.second),
                Tag.of(LowCardinalityKeyNames.OUTCOME.asString(), KeptTimers.outcome(key.status)),
                Tag.of(LowCardinalityKeyNames.STATUS.asString(), key.status == NO_ANSWER ? "CLIENT_ERROR"
                        : key.status == UNREADABLE ? "IO_ERROR" : String.valueOf(key.status)),
                Tag.of(LowCardinalityKeyNames.URI.asString(), template == null ? NONE : CallPathConvention.path(template)),
                Tag.of("error", key.errorTag()));
    }

    /**
     * The exception Spring's default status handler throws for an error status: the class
     * {@code HttpClientErrorException.create} or {@code HttpServerErrorException.create} chooses, found once.
     */
    private static Class<?> springsDefault(int status) {
        return DEFAULT_EXCEPTIONS.computeIfAbsent(status, code -> {
            HttpStatusCode statusCode = HttpStatusCode.valueOf(code);
            RestClientResponseException exception = statusCode.is4xxClientError()
                    ? HttpClientErrorException.create(statusCode, "", HttpHeaders.EMPTY, null, null)
                    : HttpServerErrorException.create(statusCode, "", HttpHeaders.EMPTY, null, null);
            return exception.getClass();
        });
    }

    /** A request made as described above: the trace passed on when it is sent, the call timed to its answer's close. */
    private final class Call extends ForwardingRequest {

        private Throwable error;

        Call(ClientHttpRequest request) {
            super(request);
        }

        @Override
        public ClientHttpResponse execute() throws IOException {
            TraceContext trace = tracer.currentTraceContext().context();
            if (trace != null) {
                propagator.inject(trace, request.getHeaders(), HttpHeaders::set);
            }
            long start = timers.now();
            try {
                return new Answer(this, request.execute(), start);
            } catch (IOException e) {
                record(this, start, NO_ANSWER, ResourceAccessException.class);
                throw e;
            } catch (RuntimeException | Error e) {
                record(this, start, NO_ANSWER, e.getClass());
                throw e;
            }
        }
    }

    /** The answer to a {@link Call}; closing it counts the call, once. */
    private final class Answer implements ClientHttpResponse {

        private final Call call;
        private final ClientHttpResponse response;
        private final long start;
        private boolean counted;

        Answer(Call call, ClientHttpResponse response, long start) {
            this.call = call;
            this.response = response;
            this.start = start;
        }

        @Override
        public HttpStatusCode getStatusCode() throws IOException {
            return response.getStatusCode();
        }

        @Override
        public String getStatusText() throws IOException {
            return response.getStatusText();
        }

        @Override
        public HttpHeaders getHeaders() {
            return response.getHeaders();
        }

        @Override
        public InputStream getBody() throws IOException {
            return response.getBody();
        }

        @Override
        public void close() {
            if (!counted) {
                counted = true;
                int status;
                try {
                    status = response.getStatusCode().value();
                } catch (IOException e) {
                    status = UNREADABLE;
                }
                record(call, start, status, call.error != null ? call.error.getClass()
                        : status >= 400 && status < 600 ? springsDefault(status) : null);
            }
            response.close();
        }
    }
}
