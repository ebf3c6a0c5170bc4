package dev.nightjar.transaction.settlement;

import dev.nightjar.contracts.contract.RiskDecision;
import dev.nightjar.transaction.domain.CaptureMethod;
import dev.nightjar.transaction.domain.Payment;
import dev.nightjar.transaction.domain.PaymentCommand;
import dev.nightjar.transaction.domain.PaymentState;
import dev.nightjar.transaction.domain.PaymentStateMachine;
import dev.nightjar.transaction.domain.Transition;
import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.common.security.Identities;
import dev.nightjar.common.shard.Shard;
import dev.nightjar.common.shard.Shards;
import dev.nightjar.contracts.contract.CardDetails;
import dev.nightjar.contracts.event.EventCodec;
import dev.nightjar.contracts.event.EventEnvelope;
import dev.nightjar.contracts.event.EventType;
import dev.nightjar.contracts.event.PaymentEvent;
import dev.nightjar.contracts.event.SettlementEvent;
import dev.nightjar.contracts.event.Topics;
import dev.nightjar.contracts.id.Ids;
import dev.nightjar.contracts.json.Json;
import dev.nightjar.testsupport.Await;
import dev.nightjar.testsupport.ServiceTestEnvironment;
import dev.nightjar.testsupport.TestHttp;
import dev.nightjar.testsupport.TestKafka;
import dev.nightjar.transaction.payment.PaymentRepository;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Settlement's {@code payment.settled} on a real broker and two real shard databases: a captured payment becomes
 * settled once, with one {@code payment.settled} payment event however often the settlement arrives; one that is
 * not captured yet is parked and applied once it is; the unknown and the unusable are kept, never lost. The
 * payments are stored directly (auth-service is not running here) and the settlements published as
 * settlement-service posts them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PaymentSettlementsIT {

    private static final int CLOSED_PORT = ServiceTestEnvironment.closedPort();
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        ServiceTestEnvironment.tls(registry);
        ServiceTestEnvironment.shards(registry, "transaction_settle", "transaction", 2);
        ServiceTestEnvironment.kafka(registry);
        registry.add("nightjar.clients.risk-service.url", () -> "https://localhost:" + CLOSED_PORT);
        registry.add("nightjar.clients.auth-service.url", () -> "https://localhost:" + CLOSED_PORT);
        registry.add("nightjar.transaction.auth-failures-to-open", () -> "1000000");
        // other test contexts of this JVM read settlement_events too, each in the default group, on their databases
        registry.add("nightjar.transaction.settlements.consumer-group", () -> "transaction-settlements-it");
        // the tests run the parked settlements themselves
        registry.add("nightjar.transaction.settlements.parked-retry-interval", () -> "1h");
    }

    @LocalServerPort
    int port;

    @Autowired
    Shards shards;

    @Autowired
    PaymentRepository repository;

    @Autowired
    PaymentSettlements settlements;

    @Autowired
    MeterRegistry meters;

    private KafkaConsumer<String, byte[]> paymentEvents;
    private final List<EventEnvelope<PaymentEvent>> announced = new ArrayList<>();

    @BeforeEach
    void readPaymentEvents() {
        paymentEvents = consumer(Topics.PAYMENT_EVENTS.name());
    }

    @AfterEach
    void close() {
        paymentEvents.close();
    }

    @Test
    void aCapturedPaymentIsSettledOnceHoweverOftenItsSettlementArrivesAndMerchantsSeeIt() {
        Payment sale = store("mer_s1", PaymentState.CAPTURED, 1999);
        Payment marker = store("mer_s1", PaymentState.CAPTURED, 500);
        EventEnvelope<SettlementEvent> settled = settlement(sale, 1999);
        TestKafka.publish(Topics.SETTLEMENT_EVENTS, settled);
        TestKafka.publish(Topics.SETTLEMENT_EVENTS, settled);
        TestKafka.publish(Topics.SETTLEMENT_EVENTS, settlement(sale, 1999));
        TestKafka.publish(Topics.SETTLEMENT_EVENTS, EventCodec.envelope(EventType.MERCHANT_SETTLED.wire(), "mer_s1",
                new SettlementEvent("stl_1", "mer_s1", "acquirer-a", "EUR", LocalDate.now(ZoneOffset.UTC), 2499, 2499, 22,
                        2464, null, 0), null));
        TestKafka.publish(Topics.SETTLEMENT_EVENTS, settlement(marker, 500));

        // one merchant's events keep their order on every topic: once the marker's payment.settled is out, the
        // sale's settlements have all been applied and announced before it
        awaitAnnounced(marker);
        assertThat(status(sale)).isEqualTo("settled");
        List<EventEnvelope<PaymentEvent>> ofSale = announced(sale);
        assertThat(ofSale).as("one payment.settled for three deliveries").hasSize(1);
        EventEnvelope<PaymentEvent> event = ofSale.getFirst();
        assertThat(event.key()).isEqualTo("mer_s1");
        assertThat(event.payload().status()).isEqualTo(dev.nightjar.contracts.contract.PaymentStatus.SETTLED);
        assertThat(event.payload().payment().status()).isEqualTo(dev.nightjar.contracts.contract.PaymentStatus.SETTLED);
        assertThat(event.payload().amountCapturedMinor()).isEqualTo(1999);
        assertThat(event.payload().changeAmountMinor()).as("nothing for the ledger to book").isZero();
        assertThat(event.payload().amountCapturableMinor()).as("no hold to move").isZero();

        Shard shard = shards.forMerchant("mer_s1");
        assertThat(shard.jdbc().sql("SELECT count(*) FROM processed_events WHERE consumer = :consumer AND event_id = :event")
                .param("consumer", PaymentSettlements.CONSUMER).param("event", settled.eventId())
                .query(Long.class).single()).isEqualTo(1L);
        assertThat(count("duplicate")).isGreaterThanOrEqualTo(1);
        assertThat(count("already_settled")).isGreaterThanOrEqualTo(1);
        assertThat(count("settled")).isGreaterThanOrEqualTo(2);

        assertThat(listed("mer_s1", "settled")).contains(sale.id(), marker.id());
        assertThat(listed("mer_s1", "captured")).doesNotContain(sale.id(), marker.id());
        HttpResponse<String> unknownStatus = gateway().get("/internal/v1/merchants/mer_s1/payments?status=Settled");
        assertThat(unknownStatus.statusCode()).isEqualTo(400);
        assertThat(unknownStatus.body()).contains("\"param\":\"status\"").doesNotContain("Settled");
    }

    @Test
    void aSettlementThatArrivesBeforeTheCaptureIsParkedAndAppliedOnceThePaymentIsCaptured() {
        Payment held = store("mer_s2", PaymentState.AUTHORIZED, 3000);
        EventEnvelope<SettlementEvent> early = settlement(held, 2000);
        TestKafka.publish(Topics.SETTLEMENT_EVENTS, early);
        Shard shard = shards.forMerchant("mer_s2");
        assertThat(Await.until("the early settlement parked", PATIENCE, () -> parkedReason(shard, early)))
                .isEqualTo(SettlementDecision.NOT_CAPTURED);
        assertThat(status(held)).isEqualTo("authorized");

        assertThat(settlements.retryParked().stillParked()).as("still not captured").isGreaterThanOrEqualTo(1);
        assertThat(parkedReason(shard, early)).isEqualTo(SettlementDecision.NOT_CAPTURED);

        Payment stored = repository.find("mer_s2", held.id()).orElseThrow();
        Transition claim = PaymentStateMachine.apply(stored, new PaymentCommand.BeginCapture(2000L, null, "claim_1", Instant.now()));
        assertThat(repository.update(claim, stored.version())).isTrue();
        Transition capture = PaymentStateMachine.apply(claim.payment(), new PaymentCommand.Captured(2000, Instant.now()));
        assertThat(repository.update(capture, claim.payment().version())).isTrue();

        settlements.retryParked();
        assertThat(status(held)).isEqualTo("settled");
        assertThat(parkedReason(shard, early)).as("no longer parked").isNull();
        assertThat(awaitAnnounced(held).payload().amountCapturedMinor()).isEqualTo(2000);
    }

    @Test
    void aSettlementOfAPaymentThisServiceDoesNotKnowStaysParkedAndCounted() {
        EventEnvelope<SettlementEvent> unknown = settlement(notStored("mer_s3"), 700);
        TestKafka.publish(Topics.SETTLEMENT_EVENTS, unknown);
        Shard shard = shards.forMerchant("mer_s3");
        assertThat(Await.until("the settlement parked", PATIENCE, () -> parkedReason(shard, unknown)))
                .isEqualTo(SettlementDecision.UNKNOWN_PAYMENT);

        assertThat(settlements.retryParked().stillParked()).isGreaterThanOrEqualTo(1);
        assertThat(parkedReason(shard, unknown)).isEqualTo(SettlementDecision.UNKNOWN_PAYMENT);
        assertThat(meters.get("nightjar.payments.settlements_parked").gauge().value()).isGreaterThanOrEqualTo(1);
        assertThat(count("parked")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aSettlementNoCaptureWillBringIsTriedLessAndLessOftenAndOneWaitingForItAtEveryRun() {
        EventEnvelope<SettlementEvent> unknown = settlement(notStored("mer_s5"), 700);
        EventEnvelope<SettlementEvent> early = settlement(store("mer_s5", PaymentState.AUTHORIZED, 900), 900);
        TestKafka.publish(Topics.SETTLEMENT_EVENTS, unknown);
        TestKafka.publish(Topics.SETTLEMENT_EVENTS, early);
        Shard shard = shards.forMerchant("mer_s5");
        Await.until("both parked", PATIENCE, () -> parkedReason(shard, unknown) != null && parkedReason(shard, early) != null
                ? true : null);

        settlements.retryParked();
        // the retry interval is an hour here: the unknown one's wait doubles to two, the early one is due at once
        assertThat(attempts(shard, unknown)).isEqualTo(2);
        assertThat(secondsUntilDue(shard, unknown)).isBetween(7_100L, 7_200L);
        assertThat(attempts(shard, early)).isEqualTo(2);
        assertThat(secondsUntilDue(shard, early)).isLessThanOrEqualTo(0L);

        settlements.retryParked();
        assertThat(attempts(shard, unknown)).as("not due, not tried").isEqualTo(2);
        assertThat(attempts(shard, early)).as("tried at every run").isEqualTo(3);

        shard.jdbc().sql("UPDATE settlements_parked SET attempts = 5, retry_at = now() WHERE event_id = :event")
                .param("event", unknown.eventId()).update();
        settlements.retryParked();
        assertThat(attempts(shard, unknown)).isEqualTo(6);
        assertThat(secondsUntilDue(shard, unknown)).as("32 hours by doubling, six at most")
                .isBetween(6 * 3600L - 100, 6 * 3600L);
    }

    private static long attempts(Shard shard, EventEnvelope<SettlementEvent> event) {
        return shard.jdbc().sql("SELECT attempts FROM settlements_parked WHERE event_id = :event")
                .param("event", event.eventId()).query(Long.class).single();
    }

    private static long secondsUntilDue(Shard shard, EventEnvelope<SettlementEvent> event) {
        return shard.jdbc().sql("SELECT floor(EXTRACT(EPOCH FROM retry_at - now())) FROM settlements_parked WHERE event_id = :event")
                .param("event", event.eventId()).query(Long.class).single();
    }

    @Test
    void aSettlementLackingWhatItNeedsGoesToTheDeadLetterTopic() {
        Payment sale = store("mer_s4", PaymentState.CAPTURED, 800);
        EventEnvelope<SettlementEvent> misaddressed = EventCodec.envelope(EventType.PAYMENT_SETTLED.wire(), "mer_s4",
                new SettlementEvent("stl_1", "mer_other", "acquirer-a", "EUR", LocalDate.now(ZoneOffset.UTC), 0, 0, 0, 0,
                        sale.id(), 800), null);
        try (KafkaConsumer<String, byte[]> deadLetters = consumer(Topics.deadLetter(Topics.SETTLEMENT_EVENTS, PaymentSettlements.CONSUMER))) {
            TestKafka.publish(Topics.SETTLEMENT_EVENTS, misaddressed);
            Await.until("the event on the dead-letter topic", PATIENCE, () -> {
                for (ConsumerRecord<String, byte[]> record : deadLetters.poll(Duration.ofMillis(200))) {
                    if (new String(record.value(), StandardCharsets.UTF_8).contains(misaddressed.eventId())) {
                        return true;
                    }
                }
                return null;
            });
        }
        assertThat(status(sale)).isEqualTo("captured");
        assertThat(meters.get("nightjar.payments.settlements_dead_lettered").counter().count()).isGreaterThanOrEqualTo(1);
    }

    /** A captured payment of {@code merchant} this service never stored. */
    private static Payment notStored(String merchant) {
        return new Payment(Ids.newId(Ids.PAYMENT), merchant, PaymentState.CAPTURED, CaptureMethod.AUTOMATIC, 700, "EUR", 0, 700,
                0, 0, "tok_1", null, null, null, null, null, null, Map.of(), null, null, Instant.now(), Instant.now(), 0);
    }

    /** A payment stored as transaction-service keeps it, in {@code status}, without events. */
    private Payment store(String merchant, PaymentState status, long amount) {
        String id = Ids.newId(Ids.PAYMENT);
        Instant created = Ids.timestampOf(id);
        boolean captured = status == PaymentState.CAPTURED;
        Payment payment = new Payment(id, merchant, status, captured ? CaptureMethod.AUTOMATIC : CaptureMethod.MANUAL,
                amount, "EUR", captured ? 0 : amount, captured ? amount : 0, 0, 0, "tok_01JD000000000000000000000",
                new CardDetails("visa", "424242", "4242", 12, 2030, "fp"), new Payment.Risk(10, RiskDecision.ALLOW, List.of(), false),
                new Payment.Authorization("acquirer-a", "nw_" + id, "123456"), null, "order-1", null, Map.of(), null, null,
                created, created, 0);
        assertThat(repository.insert(new Transition(payment, List.of()))).isTrue();
        return payment;
    }

    private static EventEnvelope<SettlementEvent> settlement(Payment payment, long amountMinor) {
        return EventCodec.envelope(EventType.PAYMENT_SETTLED.wire(), payment.merchantId(), new SettlementEvent("stl_1",
                payment.merchantId(), "acquirer-a", "EUR", LocalDate.now(ZoneOffset.UTC), 0, 0, 0, 0, payment.id(), amountMinor),
                null);
    }

    private TestHttp gateway() {
        return new TestHttp("https://localhost:" + port, Identities.GATEWAY);
    }

    @SuppressWarnings("unchecked")
    private String status(Payment payment) {
        HttpResponse<String> response = gateway().get("/internal/v1/merchants/" + payment.merchantId() + "/payments/" + payment.id());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return (String) Json.MAPPER.readValue(response.body(), Map.class).get("status");
    }

    @SuppressWarnings("unchecked")
    private List<String> listed(String merchant, String status) {
        HttpResponse<String> response = gateway().get("/internal/v1/merchants/" + merchant + "/payments?limit=100&status=" + status);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<Map<String, Object>> data = (List<Map<String, Object>>) Json.MAPPER.readValue(response.body(), Map.class).get("data");
        assertThat(data).allSatisfy(payment -> assertThat(payment).containsEntry("status", status));
        return data.stream().map(payment -> (String) payment.get("id")).toList();
    }

    private static String parkedReason(Shard shard, EventEnvelope<SettlementEvent> event) {
        return shard.jdbc().sql("SELECT reason FROM settlements_parked WHERE event_id = :event")
                .param("event", event.eventId()).query(String.class).optional().orElse(null);
    }

    private double count(String result) {
        return meters.get("nightjar.payments.settlements").tag("result", result).counter().count();
    }

    /** The {@code payment.settled} of {@code payment} on payment_events, once it is there. */
    private EventEnvelope<PaymentEvent> awaitAnnounced(Payment payment) {
        return Await.until("payment.settled of " + payment.id() + " on payment_events", PATIENCE, () -> {
            for (ConsumerRecord<String, byte[]> record : paymentEvents.poll(Duration.ofMillis(200))) {
                announced.add(EventCodec.decode(Topics.PAYMENT_EVENTS, record.value()));
            }
            List<EventEnvelope<PaymentEvent>> found = announced(payment);
            return found.isEmpty() ? null : found.getFirst();
        });
    }

    private List<EventEnvelope<PaymentEvent>> announced(Payment payment) {
        return announced.stream().filter(event -> EventType.PAYMENT_SETTLED.wire().equals(event.type())
                && payment.id().equals(event.payload().paymentId())).toList();
    }

    private static KafkaConsumer<String, byte[]> consumer(String topic) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "settlements-it-" + Ids.newId(Ids.EVENT),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }
}
