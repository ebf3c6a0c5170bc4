package dev.nightjar.common.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.SenderContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.handler.TracingAwareMeterObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.micrometer.tracing.propagation.Propagator;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** A call or send inside an unrecorded trace passes the trace on and makes no span; any other is Micrometer's. */
class UntracedSendsTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER_SPAN = "00f067aa0ba902b7";

    private final RecordingTracer tracing = new RecordingTracer();
    private final List<SpanData> exported = tracing.exported;
    private final OtelTracer tracer = tracing.tracer;
    private final Propagator propagator = tracing.propagator;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @AfterEach
    void close() {
        tracing.close();
    }

    /** Handlers as Spring Boot groups them: the tracing ones first-matching, in order, then the meters'. */
    private ObservationRegistry registry(boolean withUntracedSends) {
        List<ObservationHandler<? extends Observation.Context>> tracing = new ArrayList<>();
        if (withUntracedSends) {
            tracing.add(new UntracedSends(tracer, propagator));
        }
        tracing.add(new PropagatingReceiverTracingObservationHandler<>(tracer, propagator));
        tracing.add(new PropagatingSenderTracingObservationHandler<>(tracer, propagator));
        tracing.add(new DefaultTracingObservationHandler(tracer));
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig()
                .observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(tracing))
                .observationHandler(new TracingAwareMeterObservationHandler<>(new TimersKept(meters), tracer));
        return registry;
    }

    /** What a request with {@code traceparent} sends on: the headers of one call made while handling it. */
    private static Map<String, String> callInsideRequest(ObservationRegistry registry, String traceparent, Throwable error) {
        Map<String, String> incoming = new HashMap<>();
        if (traceparent != null) {
            incoming.put("traceparent", traceparent);
        }
        ReceiverContext<Map<String, String>> request = new ReceiverContext<>(Map::get, Kind.SERVER);
        request.setCarrier(incoming);
        Map<String, String> outgoing = new HashMap<>();
        Observation.createNotStarted("http.server.requests", () -> request, registry).observe(() -> {
            SenderContext<Map<String, String>> call = new SenderContext<>(Map::put, Kind.CLIENT);
            call.setCarrier(outgoing);
            Observation observation = Observation.createNotStarted("http.client.requests", () -> call, registry).start();
            try (Observation.Scope scope = observation.openScope()) {
                if (error != null) {
                    observation.error(error);
                }
            } finally {
                observation.stop();
            }
        });
        return outgoing;
    }

    @Test
    void insideAnUnrecordedTraceACallPassesTheCallersTraceOnAndMakesNoSpan() {
        List<String> serverSpan = new ArrayList<>();
        ObservationRegistry registry = registry(true);
        Map<String, String> sent = new HashMap<>();
        Map<String, String> incoming = Map.of("traceparent", "00-" + TRACE_ID + "-" + CALLER_SPAN + "-00");
        ReceiverContext<Map<String, String>> request = new ReceiverContext<>(Map::get, Kind.SERVER);
        request.setCarrier(incoming);
        Observation.createNotStarted("http.server.requests", () -> request, registry).observe(() -> {
            serverSpan.add(tracer.currentSpan().context().spanId());
            SenderContext<Map<String, String>> call = new SenderContext<>(Map::put, Kind.CLIENT);
            call.setCarrier(sent);
            Observation.createNotStarted("http.client.requests", () -> call, registry).observe(() -> { });
        });

        assertThat(sent.get("traceparent")).isEqualTo("00-" + TRACE_ID + "-" + serverSpan.getFirst() + "-00");
        assertThat(exported).isEmpty();
        assertThat(meters.get("http.client.requests").tag("error", "none").timer().count()).isEqualTo(1);

        // Micrometer's handler alone passes the same trace on, unsampled, under a span id of its own
        Map<String, String> micrometers = callInsideRequest(registry(false), "00-" + TRACE_ID + "-" + CALLER_SPAN + "-00",
                null);
        assertThat(micrometers.get("traceparent")).startsWith("00-" + TRACE_ID + "-").matches(".*-0[02]")
                .isNotEqualTo(sent.get("traceparent"));
    }

    @Test
    void anUnrecordedCallThatFailedIsCountedWithItsError() {
        callInsideRequest(registry(true), "00-" + TRACE_ID + "-" + CALLER_SPAN + "-00", new IllegalStateException("no answer"));
        assertThat(meters.get("http.client.requests").tag("error", "IllegalStateException").timer().count()).isEqualTo(1);
        assertThat(exported).isEmpty();
    }

    @Test
    void insideARecordedTraceTheCallIsMicrometersWithItsOwnClientSpan() {
        Map<String, String> sent = callInsideRequest(registry(true), "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01", null);

        SpanData client = exported.stream().filter(s -> s.getKind() == SpanKind.CLIENT).findFirst().orElseThrow();
        SpanData server = exported.stream().filter(s -> s.getKind() == SpanKind.SERVER).findFirst().orElseThrow();
        assertThat(client.getTraceId()).isEqualTo(TRACE_ID);
        assertThat(client.getParentSpanId()).isEqualTo(server.getSpanId());
        assertThat(server.getParentSpanId()).isEqualTo(CALLER_SPAN);
        assertThat(sent.get("traceparent")).startsWith("00-" + TRACE_ID + "-" + client.getSpanId() + "-").matches(".*-0[13]");
    }

    @Test
    void outsideAnyTraceTheSendIsMicrometersAndStartsATrace() {
        Map<String, String> sent = new HashMap<>();
        SenderContext<Map<String, String>> send = new SenderContext<>(Map::put);
        send.setCarrier(sent);
        Observation.createNotStarted("kafka.send", () -> send, registry(true)).observe(() -> { });

        assertThat(exported).singleElement().satisfies(span -> {
            assertThat(span.getKind()).isEqualTo(SpanKind.PRODUCER);
            assertThat(sent.get("traceparent")).startsWith("00-" + span.getTraceId() + "-" + span.getSpanId() + "-")
                    .matches(".*-0[13]");
        });
    }

    @Test
    void springBootAsksItBeforeItsOwnSenderHandler() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(UnrecordedTracesConfiguration.class, OpenTelemetrySdkAutoConfiguration.class,
                        OpenTelemetryTracingAutoConfiguration.class, MicrometerTracingAutoConfiguration.class,
                        ObservationAutoConfiguration.class))
                .withPropertyValues("management.tracing.sampling.probability=0.0")
                .run(context -> {
                    assertThat(context).hasNotFailed().hasSingleBean(UntracedSends.class);
                    ObservationRegistry registry = context.getBean(ObservationRegistry.class);
                    Tracer booted = context.getBean(Tracer.class);
                    List<String> serverSpan = new ArrayList<>();
                    Map<String, String> sent = new HashMap<>();
                    ReceiverContext<Map<String, String>> request = new ReceiverContext<>(Map::get, Kind.SERVER);
                    request.setCarrier(Map.of());
                    Observation.createNotStarted("http.server.requests", () -> request, registry).observe(() -> {
                        serverSpan.add(booted.currentSpan().context().spanId());
                        SenderContext<Map<String, String>> call = new SenderContext<>(Map::put, Kind.CLIENT);
                        call.setCarrier(sent);
                        Observation.createNotStarted("http.client.requests", () -> call, registry).observe(() -> { });
                    });
                    // a new trace, not sampled (probability 0): the call carries the request's own span id
                    assertThat(sent.get("traceparent")).contains("-" + serverSpan.getFirst() + "-").matches(".*-0[02]");
                });
    }
}
