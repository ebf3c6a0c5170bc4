package dev.nightjar.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.common.security.Identities;
import dev.nightjar.common.shard.Shards;
import dev.nightjar.contracts.contract.TransactionContract;
import dev.nightjar.contracts.event.Topics;
import dev.nightjar.contracts.json.Json;
import dev.nightjar.testsupport.Await;
import dev.nightjar.testsupport.TestKafka;
import dev.nightjar.testsupport.ServiceTestEnvironment;
import dev.nightjar.testsupport.TestHttp;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * auth-service unreachable: the first payments cannot know it and wait as pending (resolved later by the
 * recovery path); once calls have failed in a row it counts as away, and new payments are refused at once
 * with a 503 and Retry-After, writing nothing, while a merchant asking again about a payment it already made
 * still gets that payment. A payment accepted asynchronously is stored all the same and waits as received.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AuthAwayIT {

    private static final int CLOSED_PORT = ServiceTestEnvironment.closedPort();

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        ServiceTestEnvironment.tls(registry);
        ServiceTestEnvironment.shards(registry, "transaction_away", "transaction", 2);
        ServiceTestEnvironment.kafka(registry);
        registry.add("nightjar.clients.risk-service.url", () -> "https://localhost:" + CLOSED_PORT);
        registry.add("nightjar.clients.auth-service.url", () -> "https://localhost:" + CLOSED_PORT);
        registry.add("nightjar.transaction.auth-failures-to-open", () -> "2");
        registry.add("nightjar.transaction.auth-away-for", () -> "10m");
        registry.add("nightjar.transaction.auth-away-for-max", () -> "10m");
    }

    @LocalServerPort
    int port;

    @Autowired
    Shards shards;

    private HttpResponse<String> create(String key) {
        return new TestHttp("https://localhost:" + port, Identities.GATEWAY).postJson("/internal/v1/merchants/mer_away/payments", """
                {"idempotency_key": "%s", "amount_minor": 1000, "currency": "EUR", "capture_method": "automatic",
                 "token": "tok_01JD000000000000000000000",
                 "card": {"brand": "visa", "bin": "424242", "last4": "4242", "exp_month": 12, "exp_year": 2030, "fingerprint": "fp"}}"""
                .formatted(key));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(HttpResponse<String> response) {
        return Json.MAPPER.readValue(response.body(), Map.class);
    }

    private long payments() {
        return shards.forMerchant("mer_away").jdbc().sql("SELECT count(*) FROM payments WHERE merchant_id = 'mer_away'")
                .query(Long.class).single();
    }

    private static Map<TopicPartition, Long> ends(Admin admin) {
        return asked(() -> endsOf(admin));
    }

    /** What the broker answered; a failure to ask fails the test. */
    private static <T> T asked(java.util.concurrent.Callable<T> question) {
        try {
            return question.call();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<TopicPartition, Long> endsOf(Admin admin) throws Exception {
        Map<TopicPartition, OffsetSpec> partitions = new java.util.HashMap<>();
        for (int partition = 0; partition < admin.describeTopics(java.util.List.of(Topics.PAYMENT_REQUESTS.name()))
                .allTopicNames().get().get(Topics.PAYMENT_REQUESTS.name()).partitions().size(); partition++) {
            partitions.put(new TopicPartition(Topics.PAYMENT_REQUESTS.name(), partition), OffsetSpec.latest());
        }
        Map<TopicPartition, Long> ends = new java.util.HashMap<>();
        admin.listOffsets(partitions).all().get().forEach((partition, end) -> ends.put(partition, end.offset()));
        return ends;
    }

    @Test
    void onceAuthServiceCountsAsAwayNewPaymentsAre503sThatWriteNothingAndAcceptedOnesWaitReceived() throws Exception {
        HttpResponse<String> first = create("away-1");
        HttpResponse<String> second = create("away-2");
        assertThat(first.statusCode()).isEqualTo(201);
        assertThat(json(first)).containsEntry("status", "pending");
        assertThat(json(second)).containsEntry("status", "pending");
        assertThat(payments()).isEqualTo(2);

        HttpResponse<String> refused = create("away-3");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).contains("1");
        assertThat(json(refused)).extractingByKey("error").asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("type", "api_error").containsEntry("code", "service_unavailable");
        assertThat(payments()).as("a refused payment leaves nothing behind").isEqualTo(2);

        // accepting needs no acquirer: while auth-service is away a payment is still accepted, and waits as received
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()))) {
            Map<TopicPartition, Long> before = ends(admin);
            HttpResponse<String> accepted = new TestHttp("https://localhost:" + port, Identities.GATEWAY).postJson(
                    "/internal/v1/merchants/mer_away/payments", """
                    {"idempotency_key": "away-async", "amount_minor": 1000, "currency": "EUR", "capture_method": "automatic",
                     "token": "tok_01JD000000000000000000000",
                     "card": {"brand": "visa", "bin": "424242", "last4": "4242", "exp_month": 12, "exp_year": 2030, "fingerprint": "fp"}}""",
                    Map.of(TransactionContract.PREFER_HEADER, TransactionContract.RESPOND_ASYNC));
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
            assertThat(json(accepted)).containsEntry("status", "received");
            assertThat(payments()).isEqualTo(3);
            Map<TopicPartition, Long> after = Await.until("the accepted payment on payment_requests", Duration.ofSeconds(30),
                    () -> ends(admin).equals(before) ? null : ends(admin));
            Await.until("payment_requests' record consumed", Duration.ofSeconds(30), () -> {
                Map<TopicPartition, OffsetAndMetadata> committed = asked(() -> admin.listConsumerGroupOffsets("transaction-requests")
                        .partitionsToOffsetAndMetadata().get());
                return after.entrySet().stream().allMatch(end -> end.getValue() == 0 || committed.get(end.getKey()) != null
                        && committed.get(end.getKey()).offset() >= end.getValue()) ? committed : null;
            });
            String acceptedId = (String) json(accepted).get("id");
            HttpResponse<String> waiting = new TestHttp("https://localhost:" + port, Identities.GATEWAY)
                    .get("/internal/v1/merchants/mer_away/payments/" + acceptedId);
            assertThat(json(waiting)).as("consumed, and left for the recovery path").containsEntry("status", "received");
        }

        HttpResponse<String> askedAgain = create("away-1");
        assertThat(askedAgain.statusCode()).isEqualTo(201);
        assertThat(json(askedAgain).get("id")).isEqualTo(json(first).get("id"));
        assertThat(askedAgain.headers().firstValue("Nightjar-Existing")).contains("true");
    }
}
