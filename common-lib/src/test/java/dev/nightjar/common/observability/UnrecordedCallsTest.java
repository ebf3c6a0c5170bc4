package dev.nightjar.common.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.nightjar.common.config.NightjarProperties;
import dev.nightjar.common.error.ApiException;
import dev.nightjar.common.http.InternalClients;
import dev.nightjar.common.http.RemoteCallException;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.handler.TracingAwareMeterObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.micrometer.tracing.propagation.Propagator;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.client.observation.ClientRequestObservationContext;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

/**
 * The internal clients' calls inside an unrecorded trace, made without an observation: counted as Spring's
 * observation counts them and passing the trace on; any other call is Spring's, span and all.
 */
class UnrecordedCallsTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER_SPAN = "00f067aa0ba902b7";
    private static final String UNRECORDED = "00-" + TRACE_ID + "-" + CALLER_SPAN + "-00";
    private static final String RECORDED = "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01";

    private final RecordingTracer tracing = new RecordingTracer();
    private final List<SpanData> exported = tracing.exported;
    private final OtelTracer tracer = tracing.tracer;
    private final Propagator propagator = tracing.propagator;
    /** The traceparent of each request the service below received, in order. */
    private final List<String> received = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private int closedPort;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/things/", exchange -> answer(exchange, 200, "{\"id\":\"thing\"}", false));
        server.createContext("/v1/missing/", exchange -> answer(exchange, 404,
                "{\"error\":{\"type\":\"invalid_request_error\",\"code\":\"not_found\",\"message\":\"No such thing.\"}}", false));
        server.createContext("/v1/busy", exchange -> answer(exchange, 503,
                "{\"error\":{\"type\":\"api_error\",\"code\":\"busy\",\"message\":\"Busy.\"}}", true));
        server.start();
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
    }

    private void answer(HttpExchange exchange, int status, String body, boolean busy) throws IOException {
        received.add(String.valueOf(exchange.getRequestHeaders().getFirst("traceparent")));
        exchange.getRequestBody().readAllBytes();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if (busy) {
            exchange.getResponseHeaders().set(ApiException.BUSY, "true");
        }
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        tracing.close();
    }

    /** A service's clients as Spring Boot wires them, with or without {@link UnrecordedCalls}. */
    private final class Service {
        final SimpleMeterRegistry meters = new SimpleMeterRegistry();
        final ObservationRegistry registry = ObservationRegistry.create();
        final AtomicInteger callsObserved = new AtomicInteger();
        final UnrecordedCalls unrecorded;
        final InternalClients clients;

        Service(boolean withUnrecordedCalls) {
            meters.config().meterFilter(new MeterFilter() {
                @Override
                public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                    return id.getName().equals(UnrecordedCalls.NAME)
                            ? DistributionStatisticConfig.builder()
                            .serviceLevelObjectives(5e6, 50e6, 1e9).build().merge(config) : config;
                }
            }).commonTags("service", "caller");
            registry.observationConfig()
                    .observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(
                            new UntracedSends(tracer, propagator),
                            new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
                            new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
                            new DefaultTracingObservationHandler(tracer)))
                    .observationHandler(new TracingAwareMeterObservationHandler<>(new TimersKept(meters), tracer))
                    .observationHandler(new ObservationHandler<ClientRequestObservationContext>() {
                        @Override
                        public void onStart(ClientRequestObservationContext context) {
                            callsObserved.incrementAndGet();
                        }

                        @Override
                        public boolean supportsContext(Observation.Context context) {
                            return context instanceof ClientRequestObservationContext;
                        }
                    });
            unrecorded = withUnrecordedCalls ? new UnrecordedCalls(tracer, propagator, meters) : null;
            Duration timeout = Duration.ofSeconds(5);
            NightjarProperties properties = new NightjarProperties(new NightjarProperties.Tls(false, null, false),
                    new NightjarProperties.Security(List.of("/")), Map.of(
                    "things", new NightjarProperties.Client("http://127.0.0.1:" + server.getAddress().getPort(), timeout, timeout, 0, null),
                    "gone", new NightjarProperties.Client("http://127.0.0.1:" + closedPort, timeout, timeout, 0, null)));
            RestClient.Builder builder = RestClient.builder().observationRegistry(registry)
                    .observationConvention(new CallPathConvention());
            clients = new InternalClients(builder, properties, null, unrecorded);
        }

        /** Runs {@code work} while handling a request that came with {@code traceparent}; gives the request's span id. */
        String insideRequest(String traceparent, Runnable work) {
            List<String> spanId = new ArrayList<>();
            ReceiverContext<Map<String, String>> request = new ReceiverContext<>(Map::get, Kind.SERVER);
            request.setCarrier(Map.of("traceparent", traceparent));
            Observation.createNotStarted("http.server.requests", () -> request, registry).observe(() -> {
                spanId.add(tracer.currentSpan().context().spanId());
                work.run();
            });
            return spanId.getFirst();
        }

        String thing(int id) {
            return clients.client("things").post().uri("/v1/things/{id}", id).body(Map.of("amount", 100))
                    .retrieve().body(String.class);
        }

        /** Calls of every kind: answers, a bodiless one, an error answer, a busy one and a connection refused. */
        void callsOfEveryKind() {
            for (int id = 1; id <= 3; id++) {
                assertThat(thing(id)).contains("thing");
            }
            clients.client("things").get().uri("/v1/things/{id}", 4).retrieve().toBodilessEntity();
            assertThatThrownBy(() -> clients.client("things").get().uri("/v1/missing/{id}", 5).retrieve().body(String.class))
                    .isInstanceOfSatisfying(RemoteCallException.class, e -> assertThat(e.status()).isEqualTo(404));
            assertThatThrownBy(() -> clients.client("things").get().uri("/v1/busy").retrieve().toBodilessEntity())
                    .isInstanceOfSatisfying(RemoteCallException.class, e -> assertThat(e.isBusy()).isTrue());
            assertThatThrownBy(() -> clients.client("gone").get().uri("/v1/things/{id}", 6).retrieve().body(String.class))
                    .isInstanceOf(ResourceAccessException.class);
        }

        /** Each {@code http.client.requests} timer by its tags, with its count; each must have its histogram. */
        Map<String, Long> timers() {
            Map<String, Long> timers = new TreeMap<>();
            for (Timer timer : meters.find(UnrecordedCalls.NAME).timers()) {
                assertThat(timer.takeSnapshot().histogramCounts()).as("histogram of " + timer.getId()).isNotEmpty();
                timers.put(timer.getId().getTags().stream().map(Tag::toString).collect(Collectors.joining(",")), timer.count());
            }
            return timers;
        }
    }

    @Test
    void insideAnUnrecordedTraceCallsAreCountedAsSpringsObservationCountsThemWithoutOne() {
        Service observed = new Service(false);
        Service unobserved = new Service(true);

        observed.insideRequest(UNRECORDED, observed::callsOfEveryKind);
        unobserved.insideRequest(UNRECORDED, unobserved::callsOfEveryKind);

        assertThat(observed.callsObserved).hasValue(7);
        assertThat(unobserved.callsObserved).as("no observation for a call").hasValue(0);
        assertThat(unobserved.unrecorded.kept()).isEqualTo(5);
        Map<String, Long> springs = observed.timers();
        assertThat(springs).hasSize(5)
                .containsEntry("tag(client.name=127.0.0.1),tag(error=none),tag(exception=none),tag(method=POST),"
                        + "tag(outcome=SUCCESS),tag(service=caller),tag(status=200),tag(uri=/v1/things/{id})", 3L)
                .containsEntry("tag(client.name=127.0.0.1),tag(error=RemoteCallException),tag(exception=RemoteCallException),"
                        + "tag(method=GET),tag(outcome=CLIENT_ERROR),tag(service=caller),tag(status=404),"
                        + "tag(uri=/v1/missing/{id})", 1L)
                .containsEntry("tag(client.name=127.0.0.1),tag(error=ResourceAccessException),"
                        + "tag(exception=ResourceAccessException),tag(method=GET),tag(outcome=UNKNOWN),tag(service=caller),"
                        + "tag(status=CLIENT_ERROR),tag(uri=/v1/things/{id})", 1L);
        assertThat(unobserved.timers()).isEqualTo(springs);
        assertThat(exported).isEmpty();
    }

    @Test
    void aClientWithSpringsOwnStatusHandlerHasItsErrorAnswersCountedAsSpringsObservationCountsThem() {
        Service observed = new Service(false);
        Service unobserved = new Service(true);
        for (Service service : List.of(observed, unobserved)) {
            // as the acquirer connector makes its clients: Spring's default status handler, no handler of its own
            var factory = dev.nightjar.common.http.PooledHttp.requestFactory(Duration.ofSeconds(2), Duration.ofSeconds(5), null);
            RestClient.Builder builder = RestClient.builder().observationRegistry(service.registry)
                    .observationConvention(new CallPathConvention())
                    .baseUrl("http://127.0.0.1:" + server.getAddress().getPort());
            RestClient client = service.unrecorded == null ? builder.requestFactory(factory).build()
                    : builder.requestFactory(service.unrecorded.requestFactory(factory))
                    .observationRegistry(ObservationRegistry.NOOP).build();
            service.insideRequest(UNRECORDED, () -> {
                assertThat(client.get().uri("/v1/things/{id}", 1).retrieve().body(String.class)).contains("thing");
                assertThatThrownBy(() -> client.get().uri("/v1/missing/{id}", 2).retrieve().body(String.class))
                        .isInstanceOf(HttpClientErrorException.NotFound.class);
                assertThatThrownBy(() -> client.get().uri("/v1/busy").retrieve().toBodilessEntity())
                        .isInstanceOf(HttpServerErrorException.ServiceUnavailable.class);
            });
        }

        assertThat(unobserved.callsObserved).hasValue(0);
        assertThat(observed.timers()).hasSize(3)
                .containsKey("tag(client.name=127.0.0.1),tag(error=NotFound),tag(exception=NotFound),tag(method=GET),"
                        + "tag(outcome=CLIENT_ERROR),tag(service=caller),tag(status=404),tag(uri=/v1/missing/{id})")
                .containsKey("tag(client.name=127.0.0.1),tag(error=ServiceUnavailable),tag(exception=ServiceUnavailable),"
                        + "tag(method=GET),tag(outcome=SERVER_ERROR),tag(service=caller),tag(status=503),tag(uri=/v1/busy)")
                .isEqualTo(unobserved.timers());
    }

    @Test
    void insideAnUnrecordedTraceACallCarriesTheRequestsOwnSpanNotSampled() {
        Service service = new Service(true);
        String requestSpan = service.insideRequest(UNRECORDED, () -> service.thing(1));

        assertThat(received).containsExactly("00-" + TRACE_ID + "-" + requestSpan + "-00");
        assertThat(service.callsObserved).hasValue(0);
        assertThat(exported).isEmpty();
    }

    @Test
    void insideARecordedTraceTheCallIsObservedWithAClientSpanOfItsOwn() {
        Service service = new Service(true);
        service.insideRequest(RECORDED, () -> service.thing(1));

        SpanData client = exported.stream().filter(s -> s.getKind() == SpanKind.CLIENT).findFirst().orElseThrow();
        SpanData request = exported.stream().filter(s -> s.getKind() == SpanKind.SERVER).findFirst().orElseThrow();
        assertThat(client.getTraceId()).isEqualTo(TRACE_ID);
        assertThat(client.getParentSpanId()).isEqualTo(request.getSpanId());
        assertThat(received).singleElement().asString().startsWith("00-" + TRACE_ID + "-" + client.getSpanId() + "-")
                .matches(".*-0[13]");
        assertThat(service.callsObserved).hasValue(1);
        assertThat(service.unrecorded.kept()).isZero();
    }

    @Test
    void outsideAnyTraceTheCallIsObservedAndStartsATrace() {
        Service service = new Service(true);
        service.thing(1);

        assertThat(exported).singleElement().satisfies(span -> {
            assertThat(span.getKind()).isEqualTo(SpanKind.CLIENT);
            assertThat(received).singleElement().asString()
                    .startsWith("00-" + span.getTraceId() + "-" + span.getSpanId() + "-").matches(".*-0[13]");
        });
        assertThat(service.callsObserved).hasValue(1);
        assertThat(service.unrecorded.kept()).isZero();
    }

    @Test
    void springBootMakesOneWhereThereIsATracer() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(UnrecordedTracesConfiguration.class, OpenTelemetrySdkAutoConfiguration.class,
                        OpenTelemetryTracingAutoConfiguration.class, MicrometerTracingAutoConfiguration.class,
                        ObservationAutoConfiguration.class))
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(UnrecordedCalls.class));
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(UnrecordedTracesConfiguration.class, ObservationAutoConfiguration.class))
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(UnrecordedCalls.class)
                        .doesNotHaveBean(Tracer.class));
    }
}
