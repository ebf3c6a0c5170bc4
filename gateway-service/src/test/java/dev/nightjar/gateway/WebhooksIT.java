package dev.nightjar.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.contracts.contract.PaymentObject;
import dev.nightjar.contracts.contract.RefundObject;
import dev.nightjar.contracts.event.EventCodec;
import dev.nightjar.contracts.event.EventEnvelope;
import dev.nightjar.contracts.event.PaymentEvent;
import dev.nightjar.contracts.event.Topics;
import dev.nightjar.contracts.id.Ids;
import dev.nightjar.testsupport.Await;
import dev.nightjar.testsupport.ServiceTestEnvironment;
import dev.nightjar.testsupport.TestTls;
import dev.nightjar.testsupport.WebhookReceiver;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Webhooks from {@code payment_events} on a real broker to a real HTTPS receiver: signed, retried with
 * backoff and recorded per attempt, enqueued once per event however often Kafka delivers it, abandoned
 * when the window closes. Backoff here is 200 ms doubling, and deliveries give up after 3 seconds.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class WebhooksIT {

    private static final WebhookReceiver RECEIVER = new WebhookReceiver(TestTls.dir());

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        ServiceTestEnvironment.tls(registry);
        ServiceTestEnvironment.database(registry, "gateway_hooks", "gateway_hooks");
        ServiceTestEnvironment.kafka(registry);
        registry.add("nightjar.webhooks.consumer-group", () -> "gateway-webhooks-it");
        registry.add("nightjar.webhooks.retry-base", () -> "200ms");
        registry.add("nightjar.webhooks.give-up-after", () -> "3s");
        registry.add("nightjar.webhooks.poll-interval", () -> "100ms");
        registry.add("nightjar.webhooks.allow-private-addresses", () -> "true");
        registry.add("nightjar.webhooks.trust-ca-file", () -> TestTls.dir().resolve("ca.crt").toString());
    }

    @AfterAll
    static void stopReceiver() {
        RECEIVER.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    KafkaTemplate<String, byte[]> kafka;

    @Autowired
    JdbcClient jdbc;

    private MerchantSession merchant;
    private String token;

    @BeforeEach
    void merchant() {
        merchant = new MerchantSession(port);
        token = merchant.writeToken();
    }

    private Map<String, Object> register(String path, String... events) {
        HttpResponse<String> created = merchant.post(token, "/v1/webhook_endpoints",
                "{\"url\": \"" + RECEIVER.url(path) + "\", \"events\": [\"" + String.join("\", \"", events) + "\"]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return MerchantSession.json(created.body());
    }

    private EventEnvelope<PaymentEvent> event(String type, String paymentId) {
        PaymentObject payment = new PaymentObject(paymentId, "payment", 1999, "EUR", dev.nightjar.contracts.contract.PaymentStatus.CAPTURED, "automatic", 0, 1999, 0,
                new PaymentObject.Card("visa", "4242", 12, 2030, "fp_1"), null, new PaymentObject.Risk(5, dev.nightjar.contracts.contract.RiskDecision.ALLOW),
                "order-1", null, Map.of(), 1_764_000_000L, 1_764_000_000L);
        RefundObject refund = type.startsWith("refund.")
                ? new RefundObject(Ids.newId(Ids.REFUND), "refund", paymentId, 500, "EUR", dev.nightjar.contracts.contract.RefundStatus.SUCCEEDED, null, null, 1_764_000_000L)
                : null;
        PaymentEvent event = new PaymentEvent(paymentId, merchant.merchantId, dev.nightjar.contracts.contract.PaymentStatus.CAPTURED, "automatic", 1999, "EUR", 0, 1999, 0,
                1999, refund == null ? null : refund.id(), "acquirer-a", "nw", null, null, "visa", "4242", "fp_1", 5, dev.nightjar.contracts.contract.RiskDecision.ALLOW,
                Instant.now(), Instant.now(), payment, refund);
        return new EventEnvelope<>(Ids.newId(Ids.EVENT), type, 1, Instant.now(), merchant.merchantId, null, event);
    }

    private void publish(EventEnvelope<PaymentEvent> event) throws Exception {
        kafka.send(new ProducerRecord<>(Topics.PAYMENT_EVENTS.name(), event.key(), EventCodec.encode(event))).get();
    }

    private List<Map<String, Object>> attempts(String eventId) {
        return jdbc.sql("""
                        SELECT a.attempt, a.response_status, a.error, d.status FROM webhook_attempts a
                        JOIN webhook_deliveries d ON d.id = a.delivery_id WHERE d.event_id = :event ORDER BY a.attempt""")
                .param("event", eventId).query().listOfRows();
    }

    @Test
    void eventIsDeliveredSignedWithThePaymentAsItsObject() throws Exception {
        Map<String, Object> endpoint = register("/signed", "payment.captured");
        EventEnvelope<PaymentEvent> event = event("payment.captured", Ids.newId(Ids.PAYMENT));
        publish(event);
        WebhookReceiver.Received received = RECEIVER.await(body -> body.contains(event.eventId()), Duration.ofSeconds(30));
        assertThat(WebhookReceiver.verify((String) endpoint.get("secret"), received.signature(), received.body(),
                Duration.ofMinutes(5))).isTrue();
        assertThat(WebhookReceiver.verify("whsec_someone_else", received.signature(), received.body(), Duration.ofMinutes(5)))
                .isFalse();
        assertThat(WebhookReceiver.verify((String) endpoint.get("secret"), received.signature(), received.body() + " ",
                Duration.ofMinutes(5))).as("a changed body fails").isFalse();
        Map<String, Object> body = MerchantSession.json(received.body());
        assertThat(body).containsEntry("id", event.eventId()).containsEntry("type", "payment.captured")
                .containsEntry("object", "event");
        assertThat(((Map<?, ?>) ((Map<?, ?>) body.get("data")).get("object")).get("id")).isEqualTo(event.payload().paymentId());
        Await.until("the attempt recorded", Duration.ofSeconds(10), () -> !attempts(event.eventId()).isEmpty());
        assertThat(attempts(event.eventId())).singleElement().satisfies(row -> {
            assertThat(row.get("response_status")).isEqualTo(200);
            assertThat(row.get("status")).isEqualTo("delivered");
        });
    }

    @Test
    void refundEventsCarryTheRefundAndUnsubscribedTypesAreNotSent() throws Exception {
        register("/refunds", "refund.succeeded");
        String paymentId = Ids.newId(Ids.PAYMENT);
        EventEnvelope<PaymentEvent> captured = event("payment.captured", paymentId);
        EventEnvelope<PaymentEvent> refunded = event("refund.succeeded", paymentId);
        publish(captured);
        publish(refunded);
        WebhookReceiver.Received received = RECEIVER.await(body -> body.contains(refunded.eventId()), Duration.ofSeconds(30));
        Map<?, ?> object = (Map<?, ?>) ((Map<?, ?>) MerchantSession.json(received.body()).get("data")).get("object");
        assertThat(object.get("object")).isEqualTo("refund");
        assertThat(object.get("payment")).isEqualTo(paymentId);
        assertThat(RECEIVER.received()).noneMatch(r -> r.body().contains(captured.eventId()));
    }

    @Test
    void failedDeliveriesAreRetriedWithGrowingDelaysAndEachAttemptRecorded() throws Exception {
        register("/flaky", "payment.captured");
        EventEnvelope<PaymentEvent> event = event("payment.captured", Ids.newId(Ids.PAYMENT));
        RECEIVER.failNext(2);
        publish(event);
        Await.until("delivered at the third attempt", Duration.ofSeconds(30),
                () -> attempts(event.eventId()).size() == 3 && "delivered".equals(attempts(event.eventId()).get(2).get("status")));
        List<Map<String, Object>> attempts = attempts(event.eventId());
        assertThat(attempts).extracting(row -> row.get("response_status")).containsExactly(500, 500, 200);
        List<Instant> times = RECEIVER.received().stream().filter(r -> r.body().contains(event.eventId()))
                .map(WebhookReceiver.Received::at).toList();
        assertThat(times).hasSize(3);
        Duration first = Duration.between(times.get(0), times.get(1));
        Duration second = Duration.between(times.get(1), times.get(2));
        // Each wait is at least its scheduled delay (base 200 ms, then doubled); the sender's 100 ms poll may add
        // to either, so the second is not compared with the first plus a margin. 20 ms allows for clock reads.
        assertThat(first).as("the first retry waits the base delay").isGreaterThanOrEqualTo(Duration.ofMillis(180));
        assertThat(second).as("the second retry waits twice the base delay").isGreaterThanOrEqualTo(Duration.ofMillis(380))
                .isGreaterThan(first);
    }

    @Test
    void anEventDeliveredTwiceByKafkaIsSentOnce() throws Exception {
        register("/once", "payment.authorized");
        String paymentId = Ids.newId(Ids.PAYMENT);
        EventEnvelope<PaymentEvent> event = event("payment.authorized", paymentId);
        // a later event of the same merchant: the same partition, so consumed after both copies of the first, and
        // its delivery made after whatever they made
        EventEnvelope<PaymentEvent> after = event("payment.authorized", paymentId);
        publish(event);
        publish(event);
        publish(after);
        RECEIVER.await(body -> body.contains(event.eventId()), Duration.ofSeconds(30));
        RECEIVER.await(body -> body.contains(after.eventId()), Duration.ofSeconds(30));
        assertThat(RECEIVER.received()).filteredOn(r -> r.body().contains(event.eventId())).hasSize(1);
        assertThat(jdbc.sql("SELECT count(*) FROM webhook_deliveries WHERE event_id = :e").param("e", event.eventId())
                .query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void deliveriesStopAfterTheRetryWindow() throws Exception {
        register("/down", "payment.declined");
        EventEnvelope<PaymentEvent> event = event("payment.declined", Ids.newId(Ids.PAYMENT));
        RECEIVER.failNext(1000);
        try {
            publish(event);
            Await.until("abandoned", Duration.ofSeconds(30), () -> jdbc.sql(
                    "SELECT status FROM webhook_deliveries WHERE event_id = :e").param("e", event.eventId())
                    .query(String.class).optional().filter("abandoned"::equals).isPresent());
        } finally {
            RECEIVER.failNext(0);
        }
        List<Map<String, Object>> attempts = attempts(event.eventId());
        assertThat(attempts.size()).isBetween(3, 6);
        assertThat(attempts).allSatisfy(row -> assertThat(row.get("response_status")).isEqualTo(500));
    }

    @Test
    void deletedEndpointsReceiveNothingMore() throws Exception {
        Map<String, Object> endpoint = register("/deleted", "payment.canceled");
        assertThat(merchant.delete(token, "/v1/webhook_endpoints/" + endpoint.get("id")).statusCode()).isEqualTo(200);
        EventEnvelope<PaymentEvent> event = event("payment.canceled", Ids.newId(Ids.PAYMENT));
        EventEnvelope<PaymentEvent> marker = event("payment.canceled", Ids.newId(Ids.PAYMENT));
        register("/marker", "payment.canceled");
        publish(event);
        publish(marker);
        RECEIVER.await(body -> body.contains(marker.eventId()), Duration.ofSeconds(30));
        assertThat(RECEIVER.received()).filteredOn(r -> r.body().contains(event.eventId()))
                .as("only the live endpoint got it").hasSize(1);
    }
}
