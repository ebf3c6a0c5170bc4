package dev.nightjar.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.common.security.Identities;
import dev.nightjar.common.shard.Shards;
import dev.nightjar.contracts.json.Json;
import dev.nightjar.testsupport.ServiceTestEnvironment;
import dev.nightjar.testsupport.TestHttp;
import java.net.http.HttpResponse;
import java.util.Map;
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
 * still gets that payment.
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

    @Test
    void onceAuthServiceCountsAsAwayNewPaymentsAre503sThatWriteNothing() {
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

        HttpResponse<String> askedAgain = create("away-1");
        assertThat(askedAgain.statusCode()).isEqualTo(201);
        assertThat(json(askedAgain).get("id")).isEqualTo(json(first).get("id"));
        assertThat(askedAgain.headers().firstValue("Nightjar-Existing")).contains("true");
    }
}
