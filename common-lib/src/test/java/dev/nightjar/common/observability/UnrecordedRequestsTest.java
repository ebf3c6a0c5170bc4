package dev.nightjar.common.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcObservationAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.filter.ServerHttpObservationFilter;

/**
 * Requests that come inside an unrecorded trace, taken without an observation, on a real Tomcat under Spring Boot's
 * own wiring: counted as Spring's filter counts them, served inside the caller's trace; any other request is
 * Spring's filter's.
 */
class UnrecordedRequestsTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER_SPAN = "00f067aa0ba902b7";
    private static final String UNRECORDED = "00-" + TRACE_ID + "-" + CALLER_SPAN + "-00";
    private static final String RECORDED = "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01";

    /** What a handler saw of its trace: trace id, span id, sampled. */
    private static final List<String> seen = new CopyOnWriteArrayList<>();

    /** New traces never recorded. */
    private static ConfigurableApplicationContext unobserved;
    /** New traces always recorded. */
    private static ConfigurableApplicationContext recordedAhead;
    private static ConfigurableApplicationContext observed;
    private final HttpClient http = HttpClient.newHttpClient();

    @RestController
    static class Things {

        private final Tracer tracer;

        Things(Tracer tracer) {
            this.tracer = tracer;
        }

        private void see() {
            TraceContext trace = tracer.currentTraceContext().context();
            seen.add(trace == null ? "none" : trace.traceId() + " " + trace.spanId() + " " + trace.sampled());
        }

        @GetMapping("/v1/things/{id}")
        String thing(@PathVariable String id) {
            see();
            return "thing " + id;
        }

        @PostMapping("/v1/things")
        ResponseEntity<String> refused() {
            see();
            return ResponseEntity.status(409).body("taken");
        }

        @GetMapping("/v1/failing")
        String failing() {
            see();
            throw new IllegalStateException("no answer");
        }

        @GetMapping("/v1/later")
        Callable<String> later() {
            see();
            return () -> "later";
        }
    }

    /** Counts the server observations started: Spring Boot hands every handler bean to its registry. */
    static class ServerObservations implements ObservationHandler<ServerRequestObservationContext> {

        final AtomicInteger started = new AtomicInteger();

        @Override
        public void onStart(ServerRequestObservationContext context) {
            started.incrementAndGet();
        }

        @Override
        public boolean supportsContext(Observation.Context context) {
            return context instanceof ServerRequestObservationContext;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({PropertyPlaceholderAutoConfiguration.class, TomcatServletWebServerAutoConfiguration.class,
            DispatcherServletAutoConfiguration.class, WebMvcAutoConfiguration.class,
            HttpMessageConvertersAutoConfiguration.class, ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
            SimpleMetricsExportAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
            WebMvcObservationAutoConfiguration.class, OpenTelemetrySdkAutoConfiguration.class,
            OpenTelemetryTracingAutoConfiguration.class, MicrometerTracingAutoConfiguration.class,
            TimersKeptConfiguration.class, TracingSamplerConfiguration.class})
    @Import({Things.class, ServerObservations.class})
    static class Spring {
    }

    @Configuration(proxyBeanMethods = false)
    @Import(Spring.class)
    @ImportAutoConfiguration(UnrecordedTracesConfiguration.class)
    static class WithUnrecordedRequests {
    }

    /** {@code probability}: of a new trace being recorded. */
    private static ConfigurableApplicationContext start(Class<?> app, double probability) {
        // as arguments: the fleet's defaults (nightjar-defaults.properties) outrank the builder's properties;
        // propagation needs tracing's export on, as the platforms that trace have it
        return new SpringApplicationBuilder(app).run("--server.port=0", "--nightjar.tls.enabled=false",
                "--spring.application.name=unrecorded-requests", "--management.tracing.export.enabled=true",
                "--management.tracing.sampling.probability=" + probability,
                "--logging.level.org.apache.catalina=off", "--logging.level.org.springframework.web=off");
    }

    @BeforeAll
    static void start() {
        unobserved = start(WithUnrecordedRequests.class, 0.0);
        recordedAhead = start(WithUnrecordedRequests.class, 1.0);
        observed = start(Spring.class, 0.0);
    }

    @AfterAll
    static void stop() {
        unobserved.close();
        recordedAhead.close();
        observed.close();
    }

    private static int observations(ConfigurableApplicationContext context) {
        return context.getBean(ServerObservations.class).started.get();
    }

    private static UnrecordedRequests filter(ConfigurableApplicationContext context) {
        return context.getBeansOfType(FilterRegistrationBean.class).values().stream()
                .map(FilterRegistrationBean::getFilter).filter(UnrecordedRequests.class::isInstance)
                .map(UnrecordedRequests.class::cast).findFirst().orElseThrow();
    }

    private int send(ConfigurableApplicationContext context, String method, String path, String traceparent) throws Exception {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10));
        if (traceparent != null) {
            request.header("traceparent", traceparent);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Requests of every kind: answers, a refusal, a handler that throws, an async answer, a path with no handler. */
    private void requestsOfEveryKind(ConfigurableApplicationContext context, String traceparent) throws Exception {
        for (int id = 1; id <= 3; id++) {
            assertThat(send(context, "GET", "/v1/things/" + id, traceparent)).isEqualTo(200);
        }
        assertThat(send(context, "POST", "/v1/things", traceparent)).isEqualTo(409);
        assertThat(send(context, "GET", "/v1/failing", traceparent)).isEqualTo(500);
        assertThat(send(context, "GET", "/v1/later", traceparent)).isEqualTo(200);
        assertThat(send(context, "GET", "/nowhere", traceparent)).isEqualTo(404);
    }

    /** The {@code http.server.requests} timers by their tags, with their counts; each must have its SLO buckets. */
    private static Map<String, Long> timers(ConfigurableApplicationContext context) {
        Map<String, Long> timers = new TreeMap<>();
        for (Timer timer : context.getBean(MeterRegistry.class).find("http.server.requests").timers()) {
            assertThat(timer.takeSnapshot().histogramCounts()).as("SLO buckets of " + timer.getId()).isNotEmpty();
            timers.put(timer.getId().getTags().stream().map(Tag::toString).collect(Collectors.joining(",")), timer.count());
        }
        return timers;
    }

    /**
     * What {@code requests} more requests added to the timers since {@code before}, once they are all counted (a
     * request is counted after its answer is sent), polled until a deadline.
     */
    private static Map<String, Long> counted(ConfigurableApplicationContext context, Map<String, Long> before, long requests) {
        Instant deadline = Instant.now().plusSeconds(10);
        Map<String, Long> added = new TreeMap<>();
        do {
            added.clear();
            timers(context).forEach((tags, count) -> {
                long more = count - before.getOrDefault(tags, 0L);
                if (more > 0) {
                    added.put(tags, more);
                }
            });
        } while (added.values().stream().mapToLong(Long::longValue).sum() < requests && Instant.now().isBefore(deadline));
        return added;
    }

    /**
     * Requests of every kind under {@code traceparent} to Spring's filter and to the unobserved context: what each
     * counted (the same) and Spring's timers; the unobserved context started no observation for them.
     */
    private Map<String, Long> countedAlikeWithoutAnObservation(String traceparent) throws Exception {
        int observedObservations = observations(observed);
        int unobservedObservations = observations(unobserved);
        Map<String, Long> observedBefore = timers(observed);
        Map<String, Long> unobservedBefore = timers(unobserved);
        requestsOfEveryKind(observed, traceparent);
        requestsOfEveryKind(unobserved, traceparent);

        Map<String, Long> springs = counted(observed, observedBefore, 7);
        assertThat(counted(unobserved, unobservedBefore, 7)).isEqualTo(springs);
        assertThat(observations(observed) - observedObservations).isEqualTo(7);
        assertThat(observations(unobserved) - unobservedObservations).as("taken without an observation").isZero();
        return springs;
    }

    @Test
    void insideAnUnrecordedTraceRequestsAreCountedAsSpringsFilterCountsThemWithoutAnObservation() throws Exception {
        assertThat(countedAlikeWithoutAnObservation(UNRECORDED))
                .containsEntry("tag(error=none),tag(exception=none),tag(method=GET),tag(outcome=SUCCESS),"
                        + "tag(service=unrecorded-requests),tag(status=200),tag(uri=/v1/things/{id})", 3L)
                .containsEntry("tag(error=IllegalStateException),tag(exception=IllegalStateException),tag(method=GET),"
                        + "tag(outcome=SERVER_ERROR),tag(service=unrecorded-requests),tag(status=500),tag(uri=/v1/failing)", 1L)
                .containsEntry("tag(error=none),tag(exception=none),tag(method=POST),tag(outcome=CLIENT_ERROR),"
                        + "tag(service=unrecorded-requests),tag(status=409),tag(uri=/v1/things)", 1L)
                .containsEntry("tag(error=none),tag(exception=none),tag(method=GET),tag(outcome=SUCCESS),"
                        + "tag(service=unrecorded-requests),tag(status=200),tag(uri=/v1/later)", 1L)
                .containsEntry("tag(error=none),tag(exception=none),tag(method=GET),tag(outcome=CLIENT_ERROR),"
                        + "tag(service=unrecorded-requests),tag(status=404),tag(uri=/**)", 1L)
                .hasSize(5);
        assertThat(filter(unobserved).kept()).isGreaterThanOrEqualTo(5);
    }

    @Test
    void insideAnUnrecordedTraceTheHandlerIsInTheCallersTraceUnderASpanOfItsOwnNotSampled() throws Exception {
        seen.clear();
        send(unobserved, "GET", "/v1/things/1", UNRECORDED);
        send(observed, "GET", "/v1/things/1", UNRECORDED);

        assertThat(seen).hasSize(2).allSatisfy(trace -> assertThat(trace).startsWith(TRACE_ID + " ").endsWith(" false")
                .doesNotContain(CALLER_SPAN));
    }

    @Test
    void withNoTraceARequestWhoseNewTraceIsNotRecordedIsCountedAsSpringsFilterCountsItWithoutAnObservation()
            throws Exception {
        assertThat(countedAlikeWithoutAnObservation(null)).hasSize(5).containsEntry("tag(error=none),tag(exception=none),"
                + "tag(method=GET),tag(outcome=SUCCESS),tag(service=unrecorded-requests),tag(status=200),"
                + "tag(uri=/v1/things/{id})", 3L);
    }

    @Test
    void withNoTraceARequestIsServedInANewTraceAsTheSamplerDecidedAhead() throws Exception {
        int unobservedBefore = observations(unobserved);
        int recordedBefore = observations(recordedAhead);
        seen.clear();
        send(unobserved, "GET", "/v1/things/1", null);
        send(unobserved, "GET", "/v1/things/2", null);
        send(recordedAhead, "GET", "/v1/things/3", null);
        send(recordedAhead, "GET", "/v1/things/4", UNRECORDED);

        assertThat(seen).hasSize(4);
        assertThat(seen.subList(0, 2)).as("a new trace each, not recorded").allSatisfy(trace ->
                assertThat(trace).matches("[0-9a-f]{32} [0-9a-f]{16} false")).doesNotHaveDuplicates();
        assertThat(seen.get(0).substring(0, 32)).isNotEqualTo(seen.get(1).substring(0, 32));
        assertThat(observations(unobserved) - unobservedBefore).isZero();
        assertThat(seen.get(2)).as("decided ahead to be recorded: Spring's span, recorded").matches("[0-9a-f]{32} [0-9a-f]{16} true");
        assertThat(seen.get(3)).as("a caller's unrecorded trace is followed, not decided ahead").startsWith(TRACE_ID + " ")
                .endsWith(" false");
        assertThat(observations(recordedAhead) - recordedBefore).isEqualTo(1);
    }

    @Test
    void aRecordedTraceAndAMalformedOneAreSpringsFiltersAsBefore() throws Exception {
        int before = filter(unobserved).kept();
        int observedBefore = observations(unobserved);
        seen.clear();
        send(unobserved, "GET", "/v1/things/1", RECORDED);
        send(unobserved, "GET", "/v1/things/1", "00-" + TRACE_ID.toUpperCase() + "-" + CALLER_SPAN + "-00");

        assertThat(seen.getFirst()).startsWith(TRACE_ID + " ").endsWith(" true");
        assertThat(seen.get(1)).doesNotStartWith(TRACE_ID).doesNotStartWith(TRACE_ID.toUpperCase());
        assertThat(filter(unobserved).kept()).isEqualTo(before);
        assertThat(observations(unobserved) - observedBefore).isEqualTo(2);
        assertThat(observed.getBeansOfType(FilterRegistrationBean.class).values()).extracting(FilterRegistrationBean::getFilter)
                .anySatisfy(filter -> assertThat(filter.getClass()).isEqualTo(ServerHttpObservationFilter.class));
    }

    @Test
    void onlyAWellFormedW3cParentWhoseSampledFlagIsOffIsUnrecorded() {
        assertThat(TraceContexts.unrecorded(UNRECORDED)).isTrue();
        assertThat(TraceContexts.unrecorded("00-" + TRACE_ID + "-" + CALLER_SPAN + "-02")).isTrue();
        for (String other : new String[] {null, "", RECORDED, "00-" + TRACE_ID + "-" + CALLER_SPAN + "-03",
                "00-" + TRACE_ID.toUpperCase() + "-" + CALLER_SPAN + "-00", "01-" + TRACE_ID + "-" + CALLER_SPAN + "-00",
                "00-" + "0".repeat(32) + "-" + CALLER_SPAN + "-00", "00-" + TRACE_ID + "-" + "0".repeat(16) + "-00",
                "00-" + TRACE_ID + "-" + CALLER_SPAN + "-0g", "00-" + TRACE_ID + "_" + CALLER_SPAN + "-00",
                UNRECORDED + "-extra"}) {
            assertThat(TraceContexts.unrecorded(other)).as(String.valueOf(other)).isFalse();
        }
    }
}
