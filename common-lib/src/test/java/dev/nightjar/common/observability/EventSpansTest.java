package dev.nightjar.common.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.common.kafka.DeadLetters;
import dev.nightjar.contracts.event.EventEnvelope;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Kafka hops' spans join the trace the event was made in, with its identifiers and nothing else. */
class EventSpansTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String PARENT_SPAN = "00f067aa0ba902b7";
    private static final String TRACEPARENT = "00-" + TRACE_ID + "-" + PARENT_SPAN + "-01";

    private final List<SpanData> exported = new CopyOnWriteArrayList<>();
    private final SdkTracerProvider provider = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(new Collecting(exported))).build();
    private final EventSpans spans = new EventSpans(new OtelTracer(provider.get("test"), new OtelCurrentTraceContext(),
            event -> { }));

    @AfterEach
    void close() {
        provider.close();
    }

    @Test
    void eachConsumedEventGetsAChildSpanOfItsEnvelopesTraceWithItsIdentifiers() {
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>("payment_events", 3, 42L, "mer_1", new byte[0]);
        EventEnvelope<Object> event = new EventEnvelope<>("evt_1", "payment.captured", 1, Instant.now(), "mer_1", TRACEPARENT,
                "not a payment");

        spans.consume("ledger.book", List.of(new DeadLetters.Decoded<>(record, event)), batch -> {
            assertThat(batch.traceparent("evt_1")).startsWith("00-" + TRACE_ID + "-").endsWith("-01")
                    .doesNotContain(PARENT_SPAN);
        });

        assertThat(exported).hasSize(1);
        SpanData span = exported.getFirst();
        assertThat(span.getName()).isEqualTo("ledger.book");
        assertThat(span.getTraceId()).isEqualTo(TRACE_ID);
        assertThat(span.getParentSpanId()).isEqualTo(PARENT_SPAN);
        assertThat(span.getAttributes().asMap().toString()).contains("evt_1", "payment.captured", "payment_events", "42");
    }

    @Test
    void theRecordsHeaderIsUsedWhenTheEnvelopeHasNoContextAndNothingWithoutEither() {
        ConsumerRecord<String, byte[]> withHeader = new ConsumerRecord<>("ledger_entries", 0, 1L, "mer_1", new byte[0]);
        withHeader.headers().add(EventSpans.TRACEPARENT, TRACEPARENT.getBytes(StandardCharsets.UTF_8));
        ConsumerRecord<String, byte[]> bare = new ConsumerRecord<>("ledger_entries", 0, 2L, "mer_1", new byte[0]);

        spans.consume("settlement.record", List.of(
                new DeadLetters.Decoded<>(withHeader, envelope("evt_h", null)),
                new DeadLetters.Decoded<>(bare, envelope("evt_none", null)),
                new DeadLetters.Decoded<>(bare, envelope("evt_bad", "00-not-a-trace"))), batch -> { });

        assertThat(exported).extracting(SpanData::getTraceId).containsExactly(TRACE_ID);
    }

    @Test
    void aFailedBatchEndsItsSpansAsErrors() {
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>("payment_events", 0, 7L, "mer_1", new byte[0]);

        assertThatThrownBy(() -> spans.consume("risk.learn", List.of(new DeadLetters.Decoded<>(record,
                envelope("evt_2", TRACEPARENT))), batch -> {
            throw new IllegalStateException("database away");
        })).hasMessage("database away");

        assertThat(exported).hasSize(1);
        assertThat(exported.getFirst().getStatus().getStatusCode().name()).isEqualTo("ERROR");
    }

    @Test
    void anEventOfATraceNobodyRecordsGetsNoSpanAndPassesItsContextOnAsItCame() {
        String unrecorded = "00-" + TRACE_ID + "-" + PARENT_SPAN + "-00";
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>("payment_events", 1, 9L, "mer_1", new byte[0]);
        ConsumerRecord<String, byte[]> withHeader = new ConsumerRecord<>("payment_events", 1, 10L, "mer_1", new byte[0]);
        withHeader.headers().add(EventSpans.TRACEPARENT, unrecorded.getBytes(StandardCharsets.UTF_8));

        spans.consume("ledger.book", List.of(new DeadLetters.Decoded<>(record, envelope("evt_u", unrecorded)),
                new DeadLetters.Decoded<>(withHeader, envelope("evt_h", null)),
                new DeadLetters.Decoded<>(record, envelope("evt_r", TRACEPARENT))), batch -> {
            assertThat(batch.traceparent("evt_u")).as("the caller's span, not one of this hop").isEqualTo(unrecorded);
            assertThat(batch.traceparent("evt_h")).isEqualTo(unrecorded);
            assertThat(batch.traceparent("evt_r")).doesNotContain(PARENT_SPAN).endsWith("-01");
            batch.tag("evt_u", "payment.status", "captured");
        });

        assertThat(exported).extracting(span -> span.getAttributes().asMap().toString())
                .as("only the recorded trace's event has a span").singleElement().asString().contains("evt_r");
        try (EventSpans.Batch batch = EventSpans.none().batch("ledger.book")) {
            batch.add(record, envelope("evt_u", unrecorded));
            assertThat(batch.traceparent("evt_u")).as("nothing passed on without tracing").isNull();
        }
    }

    @Test
    void malformedTraceparentsGiveNoContext() {
        OtelTracer tracer = new OtelTracer(provider.get("test"), new OtelCurrentTraceContext(), event -> { });

        assertThat(TraceContexts.context(tracer, TRACEPARENT)).isNotNull();
        assertThat(TraceContexts.context(tracer, null)).isNull();
        assertThat(TraceContexts.context(tracer, "01-" + TRACE_ID + "-" + PARENT_SPAN + "-01")).isNull();
        assertThat(TraceContexts.context(tracer, "00-" + TRACE_ID.toUpperCase() + "-" + PARENT_SPAN + "-01")).isNull();
        assertThat(TraceContexts.context(tracer, TRACEPARENT + "0")).isNull();
        assertThat(TraceContexts.context(tracer, "00-" + "0".repeat(32) + "-" + PARENT_SPAN + "-01")).isNull();
        assertThat(TraceContexts.context(tracer, "00-" + TRACE_ID + "-" + PARENT_SPAN + "-0x")).isNull();
        assertThat(TraceContexts.context(tracer, "00-" + TRACE_ID + "-" + PARENT_SPAN + "-03").sampled())
                .as("the sampled flag is the flags' lowest bit").isTrue();
        assertThat(TraceContexts.context(tracer, "00-" + TRACE_ID + "-" + PARENT_SPAN + "-00").sampled()).isFalse();
    }

    private static EventEnvelope<Object> envelope(String id, String traceparent) {
        return new EventEnvelope<>(id, "ledger.entry_committed", 1, Instant.now(), "mer_1", traceparent, "entry");
    }

    /** Keeps what is exported, for the assertions. */
    record Collecting(List<SpanData> spans) implements SpanExporter {

        @Override
        public CompletableResultCode export(Collection<SpanData> batch) {
            spans.addAll(batch);
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }
}
