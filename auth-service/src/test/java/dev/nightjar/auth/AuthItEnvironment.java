package dev.nightjar.auth;

import dev.nightjar.testsupport.ServiceTestEnvironment;
import dev.nightjar.testsupport.TestHttp;
import java.net.http.HttpResponse;
import org.springframework.test.context.DynamicPropertyRegistry;

/** What auth-service's integration tests start it with: the test TLS, its database, Kafka, a vault and acquirers. */
final class AuthItEnvironment {

    private AuthItEnvironment() {
    }

    /** The vault at {@code vaultUrl}; both acquirers at {@code acquirersUrl} (a closed port, say). */
    static void register(DynamicPropertyRegistry registry, String vaultUrl, String acquirersUrl) {
        ServiceTestEnvironment.tls(registry);
        ServiceTestEnvironment.database(registry, "auth", "auth");
        ServiceTestEnvironment.kafka(registry);
        registry.add("nightjar.clients.vault-service.url", () -> vaultUrl);
        registry.add("nightjar.acquirers.acquirer-a.url", () -> acquirersUrl);
        registry.add("nightjar.acquirers.acquirer-b.url", () -> acquirersUrl);
    }

    /** Asks the auth-service on {@code port}, as {@code caller}, to authorize 5.00 EUR for {@code paymentId}. */
    static HttpResponse<String> authorize(int port, String caller, String paymentId) {
        return new TestHttp("https://localhost:" + port, caller).postJson("/internal/v1/authorizations", """
                {"payment_id": "%s", "merchant_id": "mer_auth", "token": "tok_x", "amount_minor": 500,
                 "currency": "EUR", "capture": true}""".formatted(paymentId));
    }
}
