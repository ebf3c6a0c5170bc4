package dev.nightjar.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.common.json.Json;
import dev.nightjar.common.security.Identities;
import dev.nightjar.testsupport.ServiceTestEnvironment;
import dev.nightjar.testsupport.TestHttp;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The gateway against a real database; the rest of the fleet is unreachable here (it is real in the end-to-end tests). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GatewayServiceIT {

    private static final int CLOSED_PORT = closedPort();
    private static final String CARD = "4242424242424242";

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        ServiceTestEnvironment.tls(registry);
        ServiceTestEnvironment.database(registry, "gateway", "gateway");
        registry.add("nightjar.clients.vault-service.url", () -> "https://localhost:" + CLOSED_PORT);
        registry.add("nightjar.clients.transaction-service.url", () -> "https://localhost:" + CLOSED_PORT);
    }

    @LocalServerPort
    int port;

    private String clientId;
    private String clientSecret;

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private TestHttp merchantSide() {
        return new TestHttp("https://localhost:" + port, null);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> json(String body) {
        return Json.MAPPER.readValue(body, Map.class);
    }

    @BeforeEach
    void merchant() {
        HttpResponse<String> created = new TestHttp("https://localhost:" + port, Identities.OPERATOR)
                .postJson("/internal/v1/merchants", "{\"name\": \"Test Shop\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        clientId = (String) json(created.body()).get("client_id");
        clientSecret = (String) json(created.body()).get("client_secret");
    }

    private HttpResponse<String> tokenRequest(String id, String secret, String scope) {
        String basic = Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
        return merchantSide().send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/oauth2/token"))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope="
                        + scope.replace(" ", "%20"))), Map.of());
    }

    private String accessToken(String scope) {
        HttpResponse<String> response = tokenRequest(clientId, clientSecret, scope);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return (String) json(response.body()).get("access_token");
    }

    private HttpResponse<String> pay(String token, String body) {
        return merchantSide().postJson("/v1/payments", body, Map.of("Authorization", "Bearer " + token));
    }

    @Test
    void operatorCertificateIsRequiredToCreateMerchants() {
        assertThat(new TestHttp("https://localhost:" + port, Identities.GATEWAY)
                .postJson("/internal/v1/merchants", "{\"name\": \"x\"}").statusCode()).isEqualTo(403);
        assertThat(merchantSide().postJson("/internal/v1/merchants", "{\"name\": \"x\"}").statusCode()).isEqualTo(401);
    }

    @Test
    void merchantCreationIsAuditedAndTheChainVerifies() {
        String verified = new TestHttp("https://localhost:" + port, Identities.OPERATOR).get("/internal/v1/audit/verify").body();
        assertThat(verified).contains("\"findings\":[]");
        assertThat(((Number) json(verified).get("rows")).longValue()).isPositive();
    }

    @Test
    void tokenEndpointIssuesASignedJwtNamingTheMerchantAndScopes() {
        HttpResponse<String> response = tokenRequest(clientId, clientSecret, "payments:read payments:write");
        Map<String, Object> token = json(response.body());
        assertThat(token).containsEntry("token_type", "Bearer").containsEntry("expires_in", 3600)
                .containsEntry("scope", "payments:read payments:write");
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
        String[] parts = ((String) token.get("access_token")).split("\\.");
        assertThat(parts).hasSize(3);
        Map<String, Object> claims = json(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        assertThat((String) claims.get("merchant_id")).startsWith("mer_");
        assertThat(claims.get("sub")).isEqualTo(clientId);
        assertThat(claims.get("iss")).isEqualTo("https://localhost:8443");
        assertThat(merchantSide().get("/oauth2/jwks").body()).contains("\"kty\":\"RSA\"").doesNotContain("\"d\":");
    }

    @Test
    void merchantsMayUseTls12WithForwardSecrecyButNothingOlder() throws Exception {
        for (String protocol : new String[] {"TLSv1.3", "TLSv1.2"}) {
            javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance(protocol);
            context.init(null, dev.nightjar.testsupport.TestTls.trustManagers(), null);
            try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) context.getSocketFactory().createSocket("localhost", port)) {
                socket.setEnabledProtocols(new String[] {protocol});
                socket.startHandshake();
                assertThat(socket.getSession().getProtocol()).isEqualTo(protocol);
                assertThat(socket.getSession().getCipherSuite()).matches("TLS_(AES|CHACHA20|ECDHE).*");
            }
        }
        javax.net.ssl.SSLContext old = javax.net.ssl.SSLContext.getInstance("TLSv1.2");
        old.init(null, dev.nightjar.testsupport.TestTls.trustManagers(), null);
        try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) old.getSocketFactory().createSocket("localhost", port)) {
            socket.setEnabledProtocols(new String[] {"TLSv1.2"});
            socket.setEnabledCipherSuites(new String[] {"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"});
            org.assertj.core.api.Assertions.assertThatThrownBy(socket::startHandshake)
                    .isInstanceOf(javax.net.ssl.SSLException.class);
        }
    }

    @Test
    void wrongSecretGetsNoToken() {
        assertThat(tokenRequest(clientId, "njs_wrong", "payments:read").statusCode()).isEqualTo(401);
    }

    @Test
    void apiWithoutTokenAnswers401InTheApiShape() {
        HttpResponse<String> response = merchantSide().get("/v1/payments/pay_x");
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.body()).contains("\"type\":\"authentication_error\"");
    }

    @Test
    void readOnlyTokenCannotWrite() {
        HttpResponse<String> response = pay(accessToken("payments:read"), "{}");
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("\"type\":\"permission_error\"").contains("payments:write");
    }

    @Test
    void malformedBodiesAreRejectedNamingTheField() {
        String token = accessToken("payments:write");
        String card = "\"payment_method\": {\"type\": \"card\", \"card\": {\"number\": \"" + CARD
                + "\", \"exp_month\": 12, \"exp_year\": 2030, \"cvc\": \"123\"}}";
        assertParam(pay(token, "{\"amount\": 100, \"currency\": \"EUR\", \"colour\": \"red\", " + card + "}"), "colour");
        assertParam(pay(token, "{\"amount\": \"100\", \"currency\": \"EUR\", " + card + "}"), "amount");
        assertParam(pay(token, "{\"amount\": 19.99, \"currency\": \"EUR\", " + card + "}"), "amount");
        assertParam(pay(token, "{\"amount\": 0, \"currency\": \"EUR\", " + card + "}"), "amount");
        assertParam(pay(token, "{\"amount\": 100, \"currency\": \"eur\", " + card + "}"), "currency");
        assertParam(pay(token, "{\"amount\": 100, \"currency\": \"EUR\", " + card.replace(CARD, "4242424242424241") + "}"),
                "payment_method.card.number");
        assertParam(pay(token, "{\"amount\": 100, \"currency\": \"EUR\", " + card.replace("2030", "2020") + "}"),
                "payment_method.card.exp_year");
        HttpResponse<String> broken = pay(token, "{\"amount\": 100,");
        assertThat(broken.statusCode()).isEqualTo(400);
        assertThat(broken.body()).contains("invalid_json");
    }

    @Test
    void rejectionNeverEchoesTheCardNumber() {
        HttpResponse<String> response = pay(accessToken("payments:write"), "{\"amount\": 100, \"currency\": \"EUR\", "
                + "\"payment_method\": {\"type\": \"card\", \"card\": {\"number\": \"" + CARD + "\", \"exp_month\": 13, \"exp_year\": 2030}}}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).doesNotContain(CARD);
    }

    @Test
    void cardNumberInFreeTextIsRefusedWithoutRepeatingIt() {
        String token = accessToken("payments:write");
        String card = "\"payment_method\": {\"type\": \"card\", \"card\": {\"number\": \"" + CARD
                + "\", \"exp_month\": 12, \"exp_year\": 2030}}";
        HttpResponse<String> description = pay(token, "{\"amount\": 100, \"currency\": \"EUR\", "
                + "\"description\": \"card 4000 0000 0000 9995\", " + card + "}");
        assertParam(description, "description");
        assertThat(description.body()).doesNotContain("4000 0000 0000 9995");
        assertParam(pay(token, "{\"amount\": 100, \"currency\": \"EUR\", \"metadata\": {\"note\": \"5555-5555-5555-4444\"}, "
                + card + "}"), "metadata");
        assertParam(pay(token, "{\"amount\": 100, \"currency\": \"EUR\", \"reference\": \"" + CARD + "\", " + card + "}"),
                "reference");
        HttpResponse<String> key = merchantSide().postJson("/v1/payments", "{\"amount\": 100, \"currency\": \"EUR\", " + card + "}",
                Map.of("Authorization", "Bearer " + token, "Idempotency-Key", "order-" + CARD));
        assertParam(key, "Idempotency-Key");
        assertThat(key.body()).doesNotContain(CARD);
    }

    @Test
    void nonJsonContentTypeIs415() {
        HttpResponse<String> response = merchantSide().send(
                HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/v1/payments"))
                        .header("Authorization", "Bearer " + accessToken("payments:write"))
                        .header("Content-Type", "text/plain")
                        .POST(HttpRequest.BodyPublishers.ofString("amount=100")), Map.of());
        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(response.body()).contains("invalid_request_error");
    }

    @Test
    void unreachableFleetIsA503NotA500() {
        HttpResponse<String> response = pay(accessToken("payments:write"), "{\"amount\": 100, \"currency\": \"EUR\", "
                + "\"payment_method\": {\"type\": \"card\", \"card\": {\"number\": \"" + CARD + "\", \"exp_month\": 12, \"exp_year\": 2030}}}");
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).contains("\"type\":\"api_error\"").doesNotContain(CARD);
    }

    private static void assertParam(HttpResponse<String> response, String param) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.body()).contains("\"param\":\"" + param + "\"").contains("invalid_request_error");
    }
}
