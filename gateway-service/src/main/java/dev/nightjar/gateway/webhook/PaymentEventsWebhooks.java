package dev.nightjar.gateway.webhook;

import dev.nightjar.common.kafka.DeadLetters;
import dev.nightjar.common.kafka.NightjarKafkaConfiguration;
import dev.nightjar.common.observability.EventSpans;
import dev.nightjar.contracts.event.EventEnvelope;
import dev.nightjar.contracts.event.EventType;
import dev.nightjar.contracts.event.PaymentEvent;
import dev.nightjar.contracts.event.Topics;
import dev.nightjar.contracts.json.Json;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Turns {@code payment_events} into webhook deliveries. A batch is enqueued in one statement before its
 * offsets are committed, and the queue's unique (event, endpoint) key absorbs redeliveries, so every
 * event reaches the queue exactly once however the gateway stops.
 */
public final class PaymentEventsWebhooks {

    public static final String CONSUMER = "gateway-service";
    /** The events merchants may subscribe to (API.md). */
    public static final Set<String> PUBLIC_TYPES = Set.of(EventType.PAYMENT_AUTHORIZED.wire(), EventType.PAYMENT_CAPTURED.wire(),
            EventType.PAYMENT_DECLINED.wire(), EventType.PAYMENT_PENDING.wire(), EventType.PAYMENT_REQUIRES_REVIEW.wire(),
            EventType.PAYMENT_CANCELED.wire(), EventType.PAYMENT_FAILED.wire(), EventType.PAYMENT_SETTLED.wire(),
            EventType.REFUND_SUCCEEDED.wire(), EventType.REFUND_FAILED.wire());

    private final WebhookDeliveries deliveries;
    private final WebhookDispatcher dispatcher;
    private final KafkaTemplate<String, byte[]> kafka;
    private final Counter deadLettered;
    private final EventSpans spans;

    public PaymentEventsWebhooks(WebhookDeliveries deliveries, WebhookDispatcher dispatcher, KafkaTemplate<String, byte[]> kafka,
                                 MeterRegistry meters, EventSpans spans) {
        this.spans = spans;
        this.deliveries = deliveries;
        this.dispatcher = dispatcher;
        this.kafka = kafka;
        this.deadLettered = Counter.builder("nightjar.webhooks.dead_lettered")
                .description("payment_events records the gateway could not decode").register(meters);
    }

    @KafkaListener(topics = "payment_events", groupId = "${nightjar.webhooks.consumer-group:" + CONSUMER + "}",
            containerFactory = NightjarKafkaConfiguration.EVENT_LISTENER_FACTORY)
    public void onBatch(List<ConsumerRecord<String, byte[]>> records) {
        List<DeadLetters.Decoded<PaymentEvent>> decoded =
                DeadLetters.decodeRecords(records, Topics.PAYMENT_EVENTS, CONSUMER, kafka, deadLettered);
        spans.consume("webhooks.enqueue", decoded, spanned -> enqueue(decoded, spanned));
    }

    private void enqueue(List<DeadLetters.Decoded<PaymentEvent>> decoded, EventSpans.Batch spanned) {
        List<WebhookDeliveries.Event> events = new ArrayList<>(decoded.size());
        for (DeadLetters.Decoded<PaymentEvent> record : decoded) {
            EventEnvelope<PaymentEvent> envelope = record.event();
            if (PUBLIC_TYPES.contains(envelope.type()) && envelope.payload().payment() != null) {
                events.add(new WebhookDeliveries.Event(envelope.eventId(), envelope.payload().merchantId(), envelope.type(),
                        payload(envelope), spanned.traceparent(envelope.eventId())));
            }
        }
        if (deliveries.enqueue(events) > 0) {
            dispatcher.wake();
        }
    }

    /** {@code {"id": "evt_…", "type": "…", "created": …, "data": {"object": payment or refund}}} */
    static String payload(EventEnvelope<PaymentEvent> envelope) {
        PaymentEvent event = envelope.payload();
        Object object = envelope.type().startsWith("refund.") && event.refund() != null ? event.refund() : event.payment();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", envelope.eventId());
        body.put("object", "event");
        body.put("type", envelope.type());
        body.put("created", envelope.occurredAt().getEpochSecond());
        body.put("data", Map.of("object", object));
        return Json.MAPPER.writeValueAsString(body);
    }
}
