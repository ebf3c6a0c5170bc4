package dev.nightjar.risk;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.common.security.Identities;
import dev.nightjar.contracts.event.EventCodec;
import dev.nightjar.contracts.event.EventEnvelope;
import dev.nightjar.contracts.event.EventType;
import dev.nightjar.contracts.event.PaymentEvent;
import dev.nightjar.contracts.event.RiskEvent;
import dev.nightjar.contracts.event.Topics;
import dev.nightjar.contracts.id.Ids;
import dev.nightjar.contracts.json.Json;
import dev.nightjar.risk.consumer.PaymentEventsConsumer;
import dev.nightjar.risk.features.FeatureRepository;
import dev.nightjar.risk.features.FeatureStore;
import dev.nightjar.risk.rescore.Rescorer;
import dev.nightjar.testsupport.Await;
import dev.nightjar.testsupport.ServiceTestEnvironment;
import dev.nightjar.testsupport.TestHttp;
import dev.nightjar.testsupport.TestKafka;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RiskServiceIT {

    /** The settings a second instance needs to run against the same database and broker. */
    private static final List<String> ENVIRONMENT = List.of("nightjar.tls.dir", "spring.datasource.url",
            "spring.datasource.username", "spring.datasource.password", "spring.flyway.user", "spring.flyway.password",
            "spring.flyway.placeholders.app_role", "spring.kafka.bootstrap-servers");
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        ServiceTestEnvironment.tls(registry);
        ServiceTestEnvironment.database(registry, "risk", "risk");
        ServiceTestEnvironment.kafka(registry);
        // long enough that a payment's event, published at once, reaches the consumer before its decision is written
        registry.add("nightjar.risk.decision-log.linger", () -> "2s");
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    FeatureStore features;

    @Autowired
    FeatureRepository featureRepository;

    @Autowired
    Environment environment;

    @Autowired
    MeterRegistry meters;

    private HttpResponse<String> decide(String caller, String paymentId, String bin, String last4) {
        return decide(caller, paymentId, "mer_r", bin, last4, "fp");
    }

    private HttpResponse<String> decide(String caller, String paymentId, String merchant, String bin, String last4,
                                        String fingerprint) {
        return new TestHttp("https://localhost:" + port, caller).postJson("/internal/v1/decisions", """
                {"payment_id": "%s", "merchant_id": "%s", "amount_minor": 1999, "currency": "EUR",
                 "card": {"brand": "visa", "bin": "%s", "last4": "%s", "exp_month": 12, "exp_year": 2030, "fingerprint": "%s"}}
                """.formatted(paymentId, merchant, bin, last4, fingerprint));
    }

    private static int score(HttpResponse<String> response) {
        return ((Number) Json.MAPPER.readValue(response.body(), Map.class).get("score")).intValue();
    }

    private static EventEnvelope<PaymentEvent> captured(String merchant, String paymentId, String fingerprint) {
        return captured(merchant, paymentId, fingerprint, dev.nightjar.contracts.contract.RiskDecision.ALLOW);
    }

    private static EventEnvelope<PaymentEvent> captured(String merchant, String paymentId, String fingerprint,
                                                        dev.nightjar.contracts.contract.RiskDecision decision) {
        Instant now = Instant.now();
        PaymentEvent payment = new PaymentEvent(paymentId, merchant, dev.nightjar.contracts.contract.PaymentStatus.CAPTURED, "automatic", 1999, "EUR", 0, 1999, 0,
                1999, null, "acquirer-a", "nw", null, null, "visa", "7788", fingerprint, 5, decision, now, now, null, null);
        return new EventEnvelope<>(Ids.newId(Ids.EVENT), EventType.PAYMENT_CAPTURED.wire(), 1, now, merchant, null, payment);
    }

    private static void publish(EventEnvelope<PaymentEvent> event) {
        TestKafka.publish(Topics.PAYMENT_EVENTS, event);
    }

    private static String unique() {
        return Long.toString(System.nanoTime(), 36);
    }

    @Test
    void ordinaryCardIsAllowed() {
        HttpResponse<String> response = decide(Identities.TRANSACTION, "pay_allow", "424242", "4242");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"decision\":\"allow\"");
    }

    @Test
    void reviewTestCardIsHeldForReview() {
        assertThat(decide(Identities.TRANSACTION, "pay_review", "400000", "4954").body())
                .contains("\"decision\":\"review\"").contains("test_card_review");
    }

    @Test
    void fraudTestCardIsBlocked() {
        assertThat(decide(Identities.TRANSACTION, "pay_block", "410000", "0019").body())
                .contains("\"decision\":\"block\"").contains("\"score\":95");
    }

    @Test
    void decisionsAreLoggedInTheDatabase() {
        decide(Identities.TRANSACTION, "pay_logged", "400000", "4954");
        String decision = Await.until("the decision row", Duration.ofSeconds(10), () -> jdbc
                .sql("SELECT decision FROM risk_decisions WHERE payment_id = 'pay_logged'")
                .query(String.class).optional().orElse(null));
        assertThat(decision).isEqualTo("review");
    }

    @Test
    void theDecisionLogAndTheFirstSightingsCarryOnlyTheIndexesTheirStatementsUse() {
        // every read of risk_decisions is by payment (re-scoring, the events consumer); any other index is a
        // cost on every decision written
        assertThat(jdbc.sql("SELECT indexname FROM pg_indexes WHERE tablename = 'risk_decisions'")
                .query(String.class).list()).containsExactly("risk_decisions_payment");
        // first sightings are upserted by merchant and fingerprint and loaded by fingerprint: one key serves both,
        // fingerprint first
        assertThat(jdbc.sql("SELECT indexdef FROM pg_indexes WHERE tablename = 'risk_card_first_seen'")
                .query(String.class).list()).singleElement().asString()
                .contains("risk_card_first_seen_pkey").endsWith("(fingerprint, merchant_id)");
    }

    @Test
    void settlementServiceCannotAskForDecisions() {
        assertThat(decide(Identities.SETTLEMENT, "pay_x", "424242", "4242").statusCode()).isEqualTo(403);
    }

    @Test
    void consumedPaymentsRaiseTheNextScoreCountOnceAndSurviveARestart() {
        String merchant = "mer_v" + unique();
        String card = "fp_v" + unique();
        String marker = "fp_m" + unique();
        int first = score(decide(Identities.TRANSACTION, Ids.newId(Ids.PAYMENT), merchant, "453201", "7788", card));

        List<EventEnvelope<PaymentEvent>> payments = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            payments.add(captured(merchant, Ids.newId(Ids.PAYMENT), card));
        }
        for (EventEnvelope<PaymentEvent> payment : payments) {
            publish(payment);
        }
        publish(payments.get(2)); // delivered twice
        publish(captured(merchant, Ids.newId(Ids.PAYMENT), marker)); // same merchant, same partition: after the rest
        Await.until("the marker payment in the features", PATIENCE,
                () -> features.cardCounts(marker, System.currentTimeMillis()).isPresent());

        FeatureStore.CardCounts counts = features.cardCounts(card, System.currentTimeMillis()).orElseThrow();
        assertThat(counts.paymentsLastHour()).as("five payments, one delivered twice").isEqualTo(5);
        assertThat(counts.paymentsLastDay()).isEqualTo(5);
        HttpResponse<String> sixth = decide(Identities.TRANSACTION, Ids.newId(Ids.PAYMENT), merchant, "453201", "7788", card);
        assertThat(score(sixth)).as(sixth.body()).isGreaterThan(first);
        assertThat(sixth.body()).contains("velocity_card_1m");

        Long stored = jdbc.sql("SELECT sum(payments) FROM risk_feature_buckets WHERE feature_key = :key")
                .param("key", "card:" + card).query(Long.class).single();
        assertThat(stored).isEqualTo(5L);
        FeatureStore reloaded = new FeatureStore(new FeatureStore.Limits(10_000, 1_000, 10_000));
        featureRepository.loadInto(reloaded, System.currentTimeMillis());
        assertThat(reloaded.cardCounts(card, System.currentTimeMillis()).orElseThrow().paymentsLastHour()).isEqualTo(5);

        try (ConfigurableApplicationContext restarted = restart()) {
            FeatureStore afterRestart = restarted.getBean(FeatureStore.class);
            FeatureStore.CardCounts again = afterRestart.cardCounts(card, System.currentTimeMillis()).orElseThrow();
            assertThat(again.paymentsLastHour()).isEqualTo(5);
            assertThat(again.firstSeenMinute()).isEqualTo(counts.firstSeenMinute());
            assertThat(afterRestart.merchantCounts(merchant, System.currentTimeMillis()).orElseThrow().paymentsLastHour())
                    .isEqualTo(6);
        }
    }

    @Test
    void theStartUpLoadReadsTheFirstSightingsOfTheLastDaysCardsOnly() {
        String merchant = "mer_l" + unique();
        String today = "fp_l" + unique();
        String longAgo = "fp_o" + unique();
        long now = System.currentTimeMillis();
        long minute = Math.floorDiv(now, 60_000L);
        for (String card : List.of(today, longAgo)) {
            jdbc.sql("INSERT INTO risk_card_first_seen (merchant_id, fingerprint, first_minute) VALUES (:m, :f, :first)")
                    .param("m", merchant).param("f", card).param("first", minute - 90 * 24 * 60).update();
        }
        jdbc.sql("INSERT INTO risk_feature_buckets (feature_key, minute, payments, declines) VALUES (:key, :minute, 1, 0)")
                .param("key", "card:" + today).param("minute", minute - 5).update();

        FeatureStore reloaded = new FeatureStore(new FeatureStore.Limits(10_000, 1_000, 10_000));
        featureRepository.loadInto(reloaded, now);

        assertThat(reloaded.cardCounts(today, now).orElseThrow().firstSeenMinute())
                .as("a card of the last day keeps its first sighting, months old").isEqualTo(minute - 90 * 24 * 60);
        assertThat(reloaded.cardCounts(longAgo, now)).as("a card not seen in the last day is not loaded").isEmpty();
    }

    @Test
    void anAllowedPaymentThatABurstFollowsIsFlaggedOnceOnRiskEvents() {
        String merchant = "mer_f" + unique();
        String card = "fp_f" + unique();
        String flaggedPayment = Ids.newId(Ids.PAYMENT);
        assertThat(decide(Identities.TRANSACTION, flaggedPayment, merchant, "453201", "7788", card).body())
                .contains("\"decision\":\"allow\"");
        Await.until("the decision row", PATIENCE, () -> jdbc
                .sql("SELECT count(*) FROM risk_decisions WHERE payment_id = :p").param("p", flaggedPayment)
                .query(Long.class).single() == 1);

        for (int i = 0; i < 11; i++) {
            publish(captured(merchant, Ids.newId(Ids.PAYMENT), card));
        }
        EventEnvelope<PaymentEvent> capture = captured(merchant, flaggedPayment, card);
        publish(capture);
        publish(capture); // replayed
        EventEnvelope<PaymentEvent> another = captured(merchant, flaggedPayment, card); // a new event, same payment
        publish(another);
        String marker = "fp_m" + unique();
        publish(captured(merchant, Ids.newId(Ids.PAYMENT), marker));
        Await.until("the marker payment in the features", PATIENCE,
                () -> features.cardCounts(marker, System.currentTimeMillis()).isPresent());
        // A batch reaches the in-memory features before it is re-scored (and flags are written): a second marker,
        // sent only now and so in a later batch, is in the features once the first marker's batch is re-scored.
        String after = "fp_m" + unique();
        publish(captured(merchant, Ids.newId(Ids.PAYMENT), after));
        Await.until("the second marker payment in the features", PATIENCE,
                () -> features.cardCounts(after, System.currentTimeMillis()).isPresent());

        assertThat(jdbc.sql("SELECT count(*) FROM risk_flags WHERE payment_id = :p").param("p", flaggedPayment)
                .query(Long.class).single()).isEqualTo(1L);
        Await.until("the outbox drained", PATIENCE,
                () -> jdbc.sql("SELECT count(*) FROM outbox").query(Long.class).single() == 0);

        List<EventEnvelope<RiskEvent>> flags = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "risk-it-" + unique(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.RISK_EVENTS.name()));
            Instant deadline = Instant.now().plus(Duration.ofSeconds(5));
            while (Instant.now().isBefore(deadline)) { // reads the whole topic: a second flag would be there too
                for (var record : consumer.poll(Duration.ofMillis(200))) {
                    EventEnvelope<RiskEvent> event = EventCodec.decode(Topics.RISK_EVENTS, record.value());
                    if (event.payload().paymentId().equals(flaggedPayment)) {
                        flags.add(event);
                    }
                }
            }
        }
        assertThat(flags).hasSize(1);
        EventEnvelope<RiskEvent> flag = flags.get(0);
        assertThat(flag.eventId()).isEqualTo(Rescorer.flagEventId(flaggedPayment));
        assertThat(flag.type()).isEqualTo(EventType.RISK_FLAGGED.wire());
        assertThat(flag.key()).isEqualTo(merchant);
        assertThat(flag.payload().decision()).isEqualTo(dev.nightjar.contracts.contract.RiskDecision.REVIEW);
        assertThat(flag.payload().score()).isGreaterThanOrEqualTo(65);
        assertThat(flag.payload().reasons()).contains("velocity_card_1m");
    }

    @Test
    void aPaymentsEventThatOvertakesItsLingeringDecisionIsReScoredWithIt() {
        String merchant = "mer_l" + unique();
        String payment = Ids.newId(Ids.PAYMENT);
        double rescored = counter("nightjar.risk.rescored");
        double skipped = counter("nightjar.risk.rescore.skipped");
        assertThat(decide(Identities.TRANSACTION, payment, merchant, "453201", "7788", "fp_l" + unique()).body())
                .contains("\"decision\":\"allow\"");
        publish(captured(merchant, payment, "fp_l" + unique()));
        // a marker held for review is not re-scored, so it moves neither counter
        String marker = "fp_m" + unique();
        publish(captured(merchant, Ids.newId(Ids.PAYMENT), marker, dev.nightjar.contracts.contract.RiskDecision.REVIEW));
        Await.until("the marker payment in the features", PATIENCE,
                () -> features.cardCounts(marker, System.currentTimeMillis()).isPresent());
        Await.until("the payment re-scored", PATIENCE, () -> counter("nightjar.risk.rescored") > rescored);

        assertThat(counter("nightjar.risk.rescore.skipped")).isEqualTo(skipped);
        assertThat(jdbc.sql("SELECT count(*) FROM risk_decisions WHERE payment_id = :p").param("p", payment)
                .query(Long.class).single()).isEqualTo(1L);
    }

    private double counter(String name) {
        return meters.counter(name).count();
    }

    @Test
    void featureRowsArePurgedOnlyOnceTheirWindowHasPassed() {
        String merchant = "mer_p" + unique();
        String card = "fp_p" + unique();
        publish(captured(merchant, Ids.newId(Ids.PAYMENT), card));
        Await.until("the payment in the features", PATIENCE,
                () -> features.cardCounts(card, System.currentTimeMillis()).isPresent());

        featureRepository.purge(PaymentEventsConsumer.CONSUMER, System.currentTimeMillis());
        assertThat(storedBuckets(card)).as("a fresh bucket stays").isEqualTo(1L);

        featureRepository.purge(PaymentEventsConsumer.CONSUMER, System.currentTimeMillis() + Duration.ofHours(26).toMillis());
        assertThat(storedBuckets(card)).as("a bucket older than the day window goes").isZero();
        assertThat(jdbc.sql("SELECT count(*) FROM risk_feature_members WHERE feature_key = :key").param("key", "card:" + card)
                .query(Long.class).single()).isZero();
    }

    private long storedBuckets(String card) {
        return jdbc.sql("SELECT count(*) FROM risk_feature_buckets WHERE feature_key = :key").param("key", "card:" + card)
                .query(Long.class).single();
    }

    /** A second instance of the service on the same database and broker, as after a restart. */
    private ConfigurableApplicationContext restart() {
        Map<String, Object> properties = new HashMap<>();
        for (String name : ENVIRONMENT) {
            properties.put(name, environment.getRequiredProperty(name));
        }
        properties.put("server.port", "0");
        properties.put("management.server.port", "0");
        // as arguments: default properties (SpringApplicationBuilder.properties) lose to application.yml's ports
        return new SpringApplicationBuilder(RiskApplication.class).run(properties.entrySet().stream()
                .map(property -> "--" + property.getKey() + "=" + property.getValue()).toArray(String[]::new));
    }
}
