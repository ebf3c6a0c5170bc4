package dev.nightjar.common.observability;

import dev.nightjar.common.kafka.DeadLetters;
import dev.nightjar.contracts.event.EventEnvelope;
import dev.nightjar.contracts.event.LedgerEntryEvent;
import dev.nightjar.contracts.event.PaymentEvent;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Spans for the asynchronous hops of a payment, so one payment is one trace: each consumer of a batch opens
 * one span per event, a child of the trace context the event was made in (the one inside its envelope, which
 * is the request's or the upstream consumer's, else the record's {@code traceparent} header), and closes them
 * when the batch is done. A span's duration is
 * the batch's: the consumers write a batch in one transaction, and the span says how long this event's
 * effect took to be durable. Events without a trace context get no span, and neither do events of a trace
 * nobody records: their context is passed on as it came, as a call inside such a trace passes it on
 * ({@link UntracedSends}). Tag values are identifiers and outcomes, never card data.
 */
public final class EventSpans {

    public static final String TRACEPARENT = "traceparent";

    private final Tracer tracer;

    public EventSpans(Tracer tracer) {
        this.tracer = tracer;
    }

    /** Spans switched off: every batch is empty (tests without tracing). */
    public static EventSpans none() {
        return new EventSpans(null);
    }

    /** A new batch whose spans are named {@code name} (a verb of this consumer: "ledger.book", "risk.learn"). */
    public Batch batch(String name) {
        return new Batch(name);
    }

    /**
     * Runs {@code work} over a consumed batch with one span per event; when it throws, the spans record the
     * error (the batch is retried) and the exception goes on.
     */
    public void consume(String name, List<? extends DeadLetters.Decoded<?>> events, Consumer<Batch> work) {
        try (Batch batch = batch(name)) {
            events.forEach(decoded -> batch.add(decoded.record(), decoded.event()));
            try {
                work.accept(batch);
            } catch (RuntimeException | Error e) {
                batch.failed(e);
                throw e;
            }
        }
    }


    /** Makes {@code span} current, so what the caller does (a KafkaTemplate send) becomes its child. */
    public Tracer.SpanInScope inScope(Span span) {
        return tracer.withSpan(span);
    }

    /**
     * A span of work done later for an event that was made under {@code traceparent}: the outbox relay's publish
     * (a producer), a webhook delivery (a client); null without tracing or without a valid context. End it.
     */
    public Span child(String name, Span.Kind kind, String traceparent, Map<String, String> tags) {
        TraceContext parent = tracer == null ? null : TraceContexts.context(tracer, traceparent);
        if (parent == null) {
            return null;
        }
        Span span = tracer.spanBuilder().setParent(parent).name(name).kind(kind).start();
        tags.forEach((key, value) -> {
            if (value != null) {
                span.tag(key, value);
            }
        });
        return span;
    }

    /** An event's identifiers and outcome as span tags: never amounts, never card data. */
    static Map<String, String> tags(EventEnvelope<?> event) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("event.id", event.eventId());
        tags.put("event.type", event.type());
        switch (event.payload()) {
            case PaymentEvent payment -> {
                tags.put("payment.id", payment.paymentId());
                tags.put("merchant.id", payment.merchantId());
                tags.put("payment.status", payment.status() == null ? null : payment.status().wire());
                tags.put("acquirer", payment.acquirer());
            }
            case LedgerEntryEvent entry -> {
                tags.put("payment.id", entry.paymentId());
                tags.put("merchant.id", entry.merchantId());
                tags.put("ledger.entry.id", entry.entryId());
            }
            case null, default -> {
            }
        }
        return tags;
    }

    /** The {@code traceparent} header of a record, if it has one. */
    public static String header(ConsumerRecord<?, ?> record) {
        Header header = record.headers().lastHeader(TRACEPARENT);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** One consumed batch's spans, by event id; close it when the batch is durable (or failed). */
    public final class Batch implements AutoCloseable {

        private final String name;
        private final Map<String, Span> byEvent = new LinkedHashMap<>();
        /** The events of an unrecorded trace, by event id: the context they came in, passed on without a span. */
        private final Map<String, String> passedOn = new HashMap<>();

        private Batch(String name) {
            this.name = name;
        }

        /**
         * Opens the span of one event, a consumer-side child of its trace context; nothing without one, and no span
         * for a trace nobody records (its context is kept to be passed on).
         *
         * @param tags identifiers and outcomes (payment.id, merchant.id, event.type), never card data; made only for
         *             an event that gets a span
         */
        public void add(String eventId, ConsumerRecord<?, ?> record, String envelopeTraceparent,
                        Supplier<Map<String, String>> tags) {
            String parent = envelopeTraceparent != null ? envelopeTraceparent : header(record);
            // no span for an event seen already, without tracing, or without a trace to join: its tags are not made
            if (byEvent.containsKey(eventId) || tracer == null || !TraceContexts.wellFormed(parent)) {
                return;
            }
            if (!TraceContexts.sampled(parent)) {
                passedOn.put(eventId, parent);
                return;
            }
            Map<String, String> all = new LinkedHashMap<>();
            all.put("messaging.system", "kafka");
            all.put("messaging.destination.name", record.topic());
            all.put("messaging.kafka.partition", Integer.toString(record.partition()));
            all.put("messaging.kafka.offset", Long.toString(record.offset()));
            all.putAll(tags.get());
            byEvent.put(eventId, child(name, Span.Kind.CONSUMER, parent, all));
        }

        /** As {@link #add(String, ConsumerRecord, String, Supplier)} for a decoded event, tagged with its identifiers. */
        public void add(ConsumerRecord<?, ?> record, EventEnvelope<?> event) {
            add(event.eventId(), record, event.traceparent(), () -> tags(event));
        }

        /**
         * The trace context of an event's span, for what this consumer publishes in turn: the context it came in
         * when its trace is not recorded; null without one.
         */
        public String traceparent(String eventId) {
            Span span = byEvent.get(eventId);
            return span == null ? passedOn.get(eventId) : TraceContexts.traceparent(span);
        }

        /** Tags one event's span, if it has one. */
        public void tag(String eventId, String key, String value) {
            Span span = byEvent.get(eventId);
            if (span != null && value != null) {
                span.tag(key, value);
            }
        }

        /** Marks every span of the batch as failed (the batch will be retried). */
        public void failed(Throwable error) {
            byEvent.values().forEach(span -> span.error(error));
        }

        @Override
        public void close() {
            byEvent.values().forEach(Span::end);
            byEvent.clear();
            passedOn.clear();
        }
    }
}
