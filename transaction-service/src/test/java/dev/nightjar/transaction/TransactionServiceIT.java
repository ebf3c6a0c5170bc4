package dev.nightjar.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.common.security.Identities;
import dev.nightjar.common.shard.Shards;
import dev.nightjar.contracts.contract.AcquirerOutcome;
import dev.nightjar.contracts.event.AuthResponseEvent;
import dev.nightjar.contracts.contract.TransactionContract;
import dev.nightjar.contracts.event.RiskEvent;
import dev.nightjar.contracts.contract.RiskDecision;
import java.time.Instant;
import dev.nightjar.contracts.event.EventCodec;
import dev.nightjar.contracts.event.EventEnvelope;
import dev.nightjar.contracts.event.PaymentEvent;
import dev.nightjar.contracts.event.Topic;
import dev.nightjar.contracts.event.Topics;
import dev.nightjar.contracts.json.Json;
import dev.nightjar.testsupport.Await;
import dev.nightjar.testsupport.PreparedPlans;
import dev.nightjar.testsupport.ServiceTestEnvironment;
import dev.nightjar.testsupport.TestHttp;
import dev.nightjar.testsupport.TestKafka;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * transaction-service on two real shard databases and a real broker. risk-service and auth-service run
 * only in the end-to-end tests; here their ports are closed, which exercises the risk fallback policy and
 * the unknown-outcome path (pending, never guessed).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class TransactionServiceIT {

    private static final int CLOSED_PORT = ServiceTestEnvironment.closedPort();

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        ServiceTestEnvironment.tls(registry);
        ServiceTestEnvironment.shards(registry, "transaction", "transaction", 2);
        ServiceTestEnvironment.kafka(registry);
        registry.add("nightjar.clients.risk-service.url", () -> "https://localhost:" + CLOSED_PORT);
        registry.add("nightjar.clients.auth-service.url", () -> "https://localhost:" + CLOSED_PORT);
        // auth-service is closed for every test here: keep taking payments as pending (AuthAwayIT covers refusals)
        registry.add("nightjar.transaction.auth-failures-to-open", () -> "1000000");
    }

    @LocalServerPort
    int port;

    @Autowired
    Shards shards;

    @Autowired
    KafkaListenerEndpointRegistry listeners;

    @Autowired
    ConsumerFactory<?, ?> eventConsumerFactory;

    @Test
    void theConsumersAMerchantWaitsOnFetchWithin250MsAndTheOthersWithinASecond() {
        assertThat(eventConsumerFactory.getConfigurationProperties()).containsEntry(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 1000);
        Map<String, String> waits = new HashMap<>();
        for (MessageListenerContainer container : listeners.getListenerContainers()) {
            for (String topic : container.getContainerProperties().getTopics()) {
                waits.put(topic, container.getContainerProperties().getKafkaConsumerProperties()
                        .getProperty(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "the factory's"));
            }
        }
        assertThat(waits).containsExactlyInAnyOrderEntriesOf(Map.of(
                "payment_requests", "250", "auth_responses", "250",
                "payment_retries", "the factory's", "risk_events", "the factory's", "settlement_events", "the factory's"));
    }

    @Test
    void aChangeToThePartitionedPaymentsIsPlannedOnceNotForEveryExecution() {
        // An update of one payment, by its id and its partition's key, as PaymentRepository's: left to choose,
        // PostgreSQL plans such a statement again for every execution.
        PreparedPlans.Plans plans = PreparedPlans.afterRepeating(shards.get(0).dataSource(),
                "UPDATE payments SET updated_at = now() WHERE id = ? AND created_at = ? AND version = ?", 12,
                "pay_planned_once", java.sql.Timestamp.from(Instant.now()), 1L);
        assertThat(plans.custom()).as("executions planned for their values").isZero();
        assertThat(plans.generic()).as("executions of the one plan").isPositive();
    }

    private TestHttp gateway() {
        return new TestHttp("https://localhost:" + port, Identities.GATEWAY);
    }

    private HttpResponse<String> create(String merchant, String key, long amount) {
        return create(merchant, key, amount, Map.of());
    }

    private HttpResponse<String> create(String merchant, String key, long amount, Map<String, String> headers) {
        return gateway().postJson("/internal/v1/merchants/" + merchant + "/payments", """
                {"idempotency_key": "%s", "amount_minor": %d, "currency": "EUR", "capture_method": "automatic",
                 "token": "tok_01JD000000000000000000000", "reference": "order-1",
                 "card": {"brand": "visa", "bin": "424242", "last4": "4242", "exp_month": 12, "exp_year": 2030, "fingerprint": "fp"},
                 "metadata": {"k": "v"}}""".formatted(key, amount), headers);
    }

    @Test
    void anAcceptedPaymentIsReceivedAtOnceThenProcessedFromPaymentRequestsOnce() {
        Map<String, String> async = Map.of(TransactionContract.PREFER_HEADER, TransactionContract.RESPOND_ASYNC);
        HttpResponse<String> accepted = create("mer_t11", "key-async", 1500, async);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        Map<String, Object> payment = json(accepted);
        assertThat(payment).containsEntry("status", "received").containsEntry("amount_captured", 0);
        assertThat(payment.get("risk")).as("risk has not been asked yet").isNull();
        String id = (String) payment.get("id");

        HttpResponse<String> again = create("mer_t11", "key-async", 1500, async);
        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(json(again).get("id")).isEqualTo(id);
        assertThat(again.headers().firstValue("Nightjar-Existing")).contains("true");

        // risk-service and auth-service are away in this test: risk's fallback admits it, the acquirer cannot be
        // asked, and the payment waits as pending (as a synchronous create of it would)
        Await.until(id + " processed", Duration.ofSeconds(30), () -> "received".equals(status("mer_t11", id)) ? null : id);
        assertThat(status("mer_t11", id)).isEqualTo("pending");
        assertThat(json(gateway().get("/internal/v1/merchants/mer_t11/payments/" + id)).get("risk")).isNotNull();
        List<EventEnvelope<PaymentEvent>> requests = readUntil(Topics.PAYMENT_REQUESTS, "transaction-it-requests",
                "the payment's payment_requests record", read -> read.stream().anyMatch(event -> event.payload().paymentId().equals(id)));
        assertThat(requests).filteredOn(event -> event.payload().paymentId().equals(id))
                .as("one request however often it was accepted").hasSize(1)
                .allSatisfy(event -> assertThat(event.type()).isEqualTo("payment.requested"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(HttpResponse<String> response) {
        return Json.MAPPER.readValue(response.body(), Map.class);
    }

    @Test
    void smallPaymentWithRiskDownAndAuthDownIsAdmittedByFallbackAndLeftPending() {
        HttpResponse<String> response = create("mer_t1", "key-pending", 1999);
        assertThat(response.statusCode()).isEqualTo(201);
        Map<String, Object> payment = json(response);
        assertThat(payment.get("status")).isEqualTo("pending");
        assertThat(payment.get("amount")).isEqualTo(1999);
        assertThat(payment).containsEntry("object", "payment").containsEntry("reference", "order-1");
        assertThat((String) payment.get("id")).startsWith("pay_");
    }

    @Test
    void largePaymentWithRiskDownIsHeldForReview() {
        Map<String, Object> payment = json(create("mer_t1", "key-review", 500_000));
        assertThat(payment.get("status")).isEqualTo("requires_review");
    }

    @Test
    void sameIdempotencyKeyReturnsTheSamePayment() {
        HttpResponse<String> first = create("mer_t2", "key-same", 700);
        HttpResponse<String> second = create("mer_t2", "key-same", 700);
        assertThat(json(second).get("id")).isEqualTo(json(first).get("id"));
        assertThat(second.headers().firstValue("Nightjar-Existing")).contains("true");
        assertThat(first.headers().firstValue("Nightjar-Existing")).contains("false");
    }

    @Test
    void concurrentRequestsWithOneKeyCreateOnePayment() throws Exception {
        List<Callable<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            calls.add(() -> create("mer_t3", "key-race", 900));
        }
        Set<Object> ids = new HashSet<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            for (Future<HttpResponse<String>> result : pool.invokeAll(calls)) {
                ids.add(json(result.get()).get("id"));
            }
        }
        assertThat(ids).hasSize(1);
        long rows = shards.forMerchant("mer_t3").jdbc()
                .sql("SELECT count(*) FROM payments WHERE merchant_id = 'mer_t3'").query(Long.class).single();
        assertThat(rows).isEqualTo(1L);
    }

    @Test
    void merchantSeesOnlyItsOwnPayments() {
        String id = (String) json(create("mer_t4", "key-own", 100)).get("id");
        assertThat(gateway().get("/internal/v1/merchants/mer_t4/payments/" + id).statusCode()).isEqualTo(200);
        HttpResponse<String> other = gateway().get("/internal/v1/merchants/mer_other/payments/" + id);
        assertThat(other.statusCode()).isEqualTo(404);
        assertThat(other.body()).contains("resource_missing");
        assertThat(gateway().get("/internal/v1/merchants/mer_t4/payments/pay_nonsense").statusCode()).isEqualTo(404);
    }

    @Test
    void stateChangesReachPaymentEventsThroughTheOutbox() {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "transaction-it",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.PAYMENT_EVENTS.name()));
            String id = (String) json(create("mer_t5", "key-events", 300)).get("id");
            List<EventEnvelope<PaymentEvent>> seen = new ArrayList<>();
            EventEnvelope<PaymentEvent> pending = Await.until("payment.pending on payment_events", Duration.ofSeconds(30), () -> {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    seen.add(EventCodec.decode(Topics.PAYMENT_EVENTS, record.value()));
                }
                return seen.stream().filter(e -> e.payload().paymentId().equals(id)).findFirst().orElse(null);
            });
            assertThat(pending.type()).isEqualTo("payment.pending");
            assertThat(pending.key()).isEqualTo("mer_t5");
            assertThat(pending.payload().cardLast4()).isEqualTo("4242");
        }
    }

    @Test
    void anAcquirersLateApprovalOnAuthResponsesMovesThePendingPaymentOnceAndAFailedAttemptDoesNot() throws Exception {
        String approved = (String) json(create("mer_t10", "key-late-approval", 700)).get("id");
        String failedOver = (String) json(create("mer_t10", "key-failed-attempt", 800)).get("id");
        String last = (String) json(create("mer_t10", "key-last", 900)).get("id");
        assertThat(status("mer_t10", approved)).isEqualTo("pending");

        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            // one merchant, one partition: read in this order, so once the last is applied all were
            send(producer, new AuthResponseEvent(failedOver, "mer_t10", "sale", "acquirer-a", null, AcquirerOutcome.FAILED,
                    "processing_error", 800, "EUR", null, false));
            for (int delivery = 0; delivery < 2; delivery++) {
                send(producer, new AuthResponseEvent(approved, "mer_t10", "sale", "acquirer-b", "nr_late", AcquirerOutcome.APPROVED,
                        null, 700, "EUR", "A1B2C3", true));
            }
            send(producer, new AuthResponseEvent(last, "mer_t10", "sale", "acquirer-b", "nr_last", AcquirerOutcome.APPROVED,
                    null, 900, "EUR", "D4E5F6", true));
        }

        Await.until("the last approval applied", Duration.ofSeconds(30), () -> "captured".equals(status("mer_t10", last)));
        Map<String, Object> payment = json(gateway().get("/internal/v1/merchants/mer_t10/payments/" + approved));
        assertThat(payment).containsEntry("status", "captured").containsEntry("amount_captured", 700);
        assertThat(status("mer_t10", failedOver)).as("a failed attempt is not the payment's outcome").isEqualTo("pending");
        List<EventEnvelope<PaymentEvent>> captured = readUntil(Topics.PAYMENT_EVENTS, "transaction-it-decisions",
                "the last payment's payment.captured", read -> read.stream().anyMatch(event ->
                        "payment.captured".equals(event.type()) && event.payload().paymentId().equals(last)));
        assertThat(captured).filteredOn(event -> "payment.captured".equals(event.type())
                        && event.payload().paymentId().equals(approved))
                .as("captured once, however often the answer arrives").hasSize(1);
    }

    @Test
    void aRiskFlagPutsACapturedPaymentInTheReviewQueueOnceUntilAReviewerApprovesIt() throws Exception {
        String flagged = (String) json(create("mer_t12", "key-flagged", 1200)).get("id");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            send(producer, new AuthResponseEvent(flagged, "mer_t12", "sale", "acquirer-a", "nr_flagged", AcquirerOutcome.APPROVED,
                    null, 1200, "EUR", "F1A2B3", true));
            Await.until(flagged + " captured", Duration.ofSeconds(30), () -> "captured".equals(status("mer_t12", flagged)));
            RiskEvent flag = new RiskEvent(flagged, "mer_t12", 88, RiskDecision.REVIEW, List.of("velocity_card"), false);
            for (int delivery = 0; delivery < 2; delivery++) {
                producer.send(new ProducerRecord<>(Topics.RISK_EVENTS.name(), "mer_t12", EventCodec.encode(new EventEnvelope<>(
                        "evt_rf_it_" + flagged, "risk.flagged", 1, Instant.now(), "mer_t12", null, flag)))).get();
            }
        }
        Map<String, Object> queued = Await.until(flagged + " in the review queue", Duration.ofSeconds(30), () -> {
            List<Map<String, Object>> queue = reviewQueue("mer_t12");
            return queue.isEmpty() ? null : queue.get(0);
        });
        assertThat(queued).containsEntry("id", flagged).containsEntry("status", "captured")
                .containsEntry("risk", Map.of("score", 88, "decision", "review"));
        Integer applied = shards.forMerchant("mer_t12").jdbc()
                .sql("SELECT count(*) FROM payment_flags WHERE payment_id = :id").param("id", flagged).query(Integer.class).single();
        assertThat(applied).as("one flag however often the event arrives").isEqualTo(1);

        HttpResponse<String> approved = gateway().postJson("/internal/v1/merchants/mer_t12/payments/" + flagged + "/approve", "{}");
        assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
        assertThat(json(approved)).containsEntry("status", "captured").containsEntry("amount_captured", 1200);
        assertThat(reviewQueue("mer_t12")).as("decided, so out of the queue").isEmpty();
        HttpResponse<String> again = gateway().postJson("/internal/v1/merchants/mer_t12/payments/" + flagged + "/approve", "{}");
        assertThat(again.statusCode()).as("no longer in review: " + again.body()).isEqualTo(409);
    }

    /** Every event on {@code topic} from its start, read as a new consumer group, until {@code enough} holds for them. */
    private static <P> List<EventEnvelope<P>> readUntil(Topic<P> topic, String group, String what,
                                                      Predicate<List<EventEnvelope<P>>> enough) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic.name()));
            List<EventEnvelope<P>> read = new ArrayList<>();
            return Await.until(what, Duration.ofSeconds(30), () -> {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    read.add(EventCodec.decode(topic, record.value()));
                }
                return enough.test(read) ? read : null;
            });
        }
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> reviewQueue(String merchant) {
        return (List<Map<String, Object>>) json(gateway().get("/internal/v1/merchants/" + merchant + "/reviews")).get("data");
    }

    private String status(String merchant, String paymentId) {
        return (String) json(gateway().get("/internal/v1/merchants/" + merchant + "/payments/" + paymentId)).get("status");
    }

    private static void send(KafkaProducer<String, byte[]> producer, AuthResponseEvent answer) throws Exception {
        producer.send(new ProducerRecord<>(Topics.AUTH_RESPONSES.name(), answer.merchantId(), EventCodec.encode(EventCodec.envelope(
                answer.operation() + "." + answer.outcome().wire(), answer.merchantId(), answer, null)))).get();
    }

    @Test
    void merchantsAreSpreadOverBothShards() {
        Set<Integer> used = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            used.add(shards.router().shardOf("mer_spread_" + i));
        }
        assertThat(used).containsExactlyInAnyOrder(0, 1);
        create("mer_spread_0", "k", 100);
        int shard = shards.router().shardOf("mer_spread_0");
        assertThat(shards.get(shard).jdbc().sql("SELECT count(*) FROM payments WHERE merchant_id = 'mer_spread_0'")
                .query(Long.class).single()).isEqualTo(1L);
        assertThat(shards.get(1 - shard).jdbc().sql("SELECT count(*) FROM payments WHERE merchant_id = 'mer_spread_0'")
                .query(Long.class).single()).isZero();
    }

    @Test
    void unknownCurrencyIsRejectedNamingTheField() {
        HttpResponse<String> response = gateway().postJson("/internal/v1/merchants/mer_t6/payments", """
                {"idempotency_key": "k", "amount_minor": 100, "currency": "XYZ", "token": "tok_x"}""");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"param\":\"currency\"");
    }

    @Test
    void paymentHeldForReviewCanBeCanceledAndSaysSo() {
        String id = (String) json(create("mer_t7", "key-cancel", 600_000)).get("id");
        HttpResponse<String> canceled = gateway().postJson("/internal/v1/merchants/mer_t7/payments/" + id + "/cancel", "{}");
        assertThat(canceled.statusCode()).isEqualTo(200);
        assertThat(json(canceled).get("status")).isEqualTo("canceled");
        HttpResponse<String> again = gateway().postJson("/internal/v1/merchants/mer_t7/payments/" + id + "/cancel", "{}");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.body()).contains("payment_unexpected_state").contains("status of canceled");
    }

    @Test
    void captureAndRefundOfAPaymentThatCannotTakeThemAreConflictsNamingTheStatus() {
        String id = (String) json(create("mer_t8", "key-wrong-state", 100)).get("id");
        HttpResponse<String> capture = gateway().postJson("/internal/v1/merchants/mer_t8/payments/" + id + "/capture",
                "{\"amount_minor\": 50}");
        assertThat(capture.statusCode()).isEqualTo(409);
        assertThat(capture.body()).contains("status of pending");
        HttpResponse<String> refund = gateway().postJson("/internal/v1/merchants/mer_t8/payments/" + id + "/refunds", "{}");
        assertThat(refund.statusCode()).isEqualTo(409);
        assertThat(refund.body()).contains("payment_unexpected_state");
    }

    @Test
    @SuppressWarnings("unchecked")
    void paymentsAreListedNewestFirstWithACursor() {
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            made.add((String) json(create("mer_t9", "key-list-" + i, 100 + i)).get("id"));
        }
        Map<String, Object> first = json(gateway().get("/internal/v1/merchants/mer_t9/payments?limit=2"));
        List<Map<String, Object>> data = (List<Map<String, Object>>) first.get("data");
        assertThat(first).containsEntry("object", "list").containsEntry("has_more", true);
        assertThat(data).extracting(p -> p.get("id")).containsExactly(made.get(4), made.get(3));
        Map<String, Object> rest = json(gateway().get("/internal/v1/merchants/mer_t9/payments?limit=10&starting_after=" + made.get(3)));
        assertThat((List<Map<String, Object>>) rest.get("data")).extracting(p -> p.get("id"))
                .containsExactly(made.get(2), made.get(1), made.get(0));
        assertThat(rest).containsEntry("has_more", false);
        assertThat(gateway().get("/internal/v1/merchants/mer_t9/payments?limit=101").statusCode()).isEqualTo(400);
        assertThat(gateway().get("/internal/v1/merchants/mer_other/payments?starting_after=" + made.get(0)).statusCode()).isEqualTo(404);
        Map<String, Object> refunds = json(gateway().get("/internal/v1/merchants/mer_t9/payments/" + made.get(0) + "/refunds"));
        assertThat((List<?>) refunds.get("data")).isEmpty();
    }

    @Test
    void onlyTheGatewayMayCreatePayments() {
        HttpResponse<String> response = new TestHttp("https://localhost:" + port, Identities.RISK)
                .postJson("/internal/v1/merchants/mer_x/payments", "{}");
        assertThat(response.statusCode()).isEqualTo(403);
    }
}
