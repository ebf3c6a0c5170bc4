package dev.nightjar.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.common.json.Json;
import dev.nightjar.common.security.Identities;
import dev.nightjar.testsupport.ServiceTestEnvironment;
import dev.nightjar.testsupport.TestHttp;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The gateway against a real database; the rest of the fleet is unreachable here (it is real in the end-to-end tests). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GatewayServiceIT {

    private static final int CLOSED_PORT = ServiceTestEnvironment.closedPort();
    private static final String CARD = "4242424242424242";

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        ServiceTestEnvironment.tls(registry);
        ServiceTestEnvironment.database(registry, "gateway", "gateway");
        ServiceTestEnvironment.kafka(registry);
        registry.add("nightjar.clients.vault-service.url", () -> "https://localhost:" + CLOSED_PORT);
        registry.add("nightjar.clients.transaction-service.url", () -> "https://localhost:" + CLOSED_PORT);
    }

    @LocalServerPort
    int port;

    private MerchantSession merchant;

    private TestHttp merchantSide() {
        return merchant.http;
    }

    private static Map<String, Object> json(String body) {
        return MerchantSession.json(body);
    }

    @BeforeEach
    void merchant() {
        merchant = new MerchantSession(port);
    }

    private HttpResponse<String> tokenRequest(String id, String secret, String scope) {
        return merchant.tokenRequest(id, secret, scope);
    }

    private String accessToken(String scope) {
        return merchant.accessToken(scope);
    }

    private HttpResponse<String> pay(String token, String body) {
        return merchant.post(token, "/v1/payments", body);
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
        HttpResponse<String> response = tokenRequest(merchant.clientId, merchant.clientSecret, "payments:read payments:write");
        Map<String, Object> token = json(response.body());
        assertThat(token).containsEntry("token_type", "Bearer").containsEntry("expires_in", 3600)
                .containsEntry("scope", "payments:read payments:write");
        assertThat(response.headers().firstValue("Cache-Control")).contains("no-store");
        String[] parts = ((String) token.get("access_token")).split("\\.");
        assertThat(parts).hasSize(3);
        Map<String, Object> claims = json(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        assertThat((String) claims.get("merchant_id")).startsWith("mer_");
        assertThat(claims.get("sub")).isEqualTo(merchant.clientId);
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
        assertThat(tokenRequest(merchant.clientId, "njs_wrong", "payments:read").statusCode()).isEqualTo(401);
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
    }

    @Test
    void errorsAreJsonWhateverTheClientAccepts() {
        HttpResponse<String> response = merchantSide().send(
                HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/v1/payments"))
                        .header("Authorization", "Bearer " + accessToken("payments:write"))
                        .header("Content-Type", "application/json")
                        .header("Accept", "text/html")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"amount\": 0}")), Map.of());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("\"param\":\"amount\"");
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
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

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Test
    void servedOpenApiDocumentIsTheRepositoryCopyAndMatchesTheCode() throws Exception {
        HttpResponse<String> served = merchantSide().get("/v1/openapi.json");
        assertThat(served.statusCode()).isEqualTo(200);
        String repositoryCopy = java.nio.file.Files.readString(java.nio.file.Path.of("..", "docs", "openapi.json"));
        assertThat(served.body()).isEqualTo(repositoryCopy);
        Map<String, Object> document = json(served.body());
        assertThat(document.get("openapi")).isEqualTo("3.1.0");

        java.util.Set<String> documented = new java.util.TreeSet<>();
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) document.get("paths");
        paths.forEach((path, operations) -> operations.keySet().stream()
                .filter(method -> java.util.Set.of("get", "post", "put", "patch", "delete").contains(method))
                .forEach(method -> documented.add(method.toUpperCase(java.util.Locale.ROOT) + " " + path)));

        java.util.Set<String> implemented = new java.util.TreeSet<>();
        mappings.getHandlerMethods().keySet().forEach(info -> info.getPatternValues().stream()
                .filter(pattern -> pattern.startsWith("/v1/"))
                .forEach(pattern -> info.getMethodsCondition().getMethods()
                        .forEach(method -> implemented.add(method.name() + " " + pattern))));
        // the token and key endpoints are served by the authorization server's filters, not by controllers
        implemented.add("POST /oauth2/token");
        implemented.add("GET /oauth2/jwks");
        assertThat(implemented).as("implemented operations").isEqualTo(documented);
        assertThat(merchantSide().get("/oauth2/jwks").statusCode()).isEqualTo(200);

        @SuppressWarnings("unchecked")
        Map<String, Object> create = (Map<String, Object>) paths.get("/v1/payments").get("post");
        assertThat(((Map<?, ?>) create.get("responses")).keySet()).map(String::valueOf).contains("201", "400", "401", "403", "409", "413", "415", "429");
        assertThat(served.body()).contains("\"example\"");
    }

    @Test
    void bodiesOver16KiBAre413WhetherDeclaredOrChunked() {
        String token = accessToken("payments:write");
        String big = "{\"amount\": 100, \"description\": \"" + "x".repeat(17 * 1024) + "\"}";
        HttpResponse<String> declared = pay(token, big);
        assertThat(declared.statusCode()).isEqualTo(413);
        assertThat(declared.body()).contains("\"type\":\"invalid_request_error\"").contains("request_too_large");
        byte[] bytes = big.getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> chunked = merchantSide().send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/v1/payments"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(bytes))),
                Map.of("Authorization", "Bearer " + token));
        assertThat(chunked.statusCode()).isEqualTo(413);
        HttpResponse<String> smallChunked = merchantSide().send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/v1/payments"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream("{\"amount\": 0}".getBytes()))),
                Map.of("Authorization", "Bearer " + token));
        assertParam(smallChunked, "amount");
    }

    @Test
    void bodilessPostsNeedNoContentTypeButAnyBodyMustBeJson() {
        String token = accessToken("payments:write");
        String path = "/v1/payments/" + dev.nightjar.common.id.Ids.newId("pay") + "/cancel";
        HttpResponse<String> noBody = merchantSide().send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + path))
                .POST(HttpRequest.BodyPublishers.noBody()), Map.of("Authorization", "Bearer " + token));
        assertThat(noBody.statusCode()).as("passed validation, then found the fleet unreachable").isEqualTo(503);
        HttpResponse<String> textBody = merchantSide().send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + path))
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("now")), Map.of("Authorization", "Bearer " + token));
        assertThat(textBody.statusCode()).isEqualTo(415);
        assertParam(merchant.post(token, path, "{\"reason\": \"x\"}"), "reason");
        assertParam(merchant.post(token, path.replace("cancel", "capture"), "{\"amount\": -5}"), "amount");
        assertParam(merchant.post(token, path.replace("cancel", "refunds"), "{\"reason\": \"bored\"}"), "reason");
    }

    @Test
    void listParametersAndIdsAreCheckedBeforeAnyCall() {
        String token = accessToken("payments:read");
        assertParam(merchant.get(token, "/v1/payments?limit=0"), "limit");
        assertParam(merchant.get(token, "/v1/payments?limit=101"), "limit");
        assertParam(merchant.get(token, "/v1/payments?limit=ten"), "limit");
        assertParam(merchant.get(token, "/v1/payments?starting_after=re_1"), "starting_after");
        HttpResponse<String> malformed = merchant.get(token, "/v1/payments/" + CARD);
        assertThat(malformed.statusCode()).isEqualTo(404);
        assertThat(malformed.body()).contains("resource_missing").doesNotContain(CARD);
        assertThat(merchant.get(token, "/v1/payments/" + dev.nightjar.common.id.Ids.newId("pay") + "/refunds").statusCode())
                .as("well-formed: asks transaction-service, unreachable here").isEqualTo(503);
    }

    @Test
    void writeOnlyTokenCannotRead() {
        HttpResponse<String> response = merchant.get(accessToken("payments:write"), "/v1/payments");
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("permission_error").contains("payments:read");
    }

    @Test
    void rateLimitAnswers429WithRetryAfterBeforeAnyWork() {
        TestHttp operator = new TestHttp("https://localhost:" + port, Identities.OPERATOR);
        HttpResponse<String> set = operator.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port
                        + "/internal/v1/merchants/" + merchant.merchantId + "/rate_limit"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"per_second\": 1, \"burst\": 3}")), Map.of());
        assertThat(set.statusCode()).as(set.body()).isEqualTo(200);
        String token = accessToken("payments:write");
        int refused = 0;
        HttpResponse<String> last = null;
        for (int i = 0; i < 6; i++) {
            HttpResponse<String> response = pay(token, "{}");
            if (response.statusCode() == 429) {
                refused++;
                last = response;
            } else {
                assertThat(response.statusCode()).as("within the limit: judged on its merits").isEqualTo(400);
            }
        }
        assertThat(refused).isBetween(2, 3);
        assertThat(last.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isBetween(1L, 2L));
        assertThat(last.body()).contains("\"type\":\"rate_limit_error\"");
        assertThat(last.headers().firstValue("RateLimit-Limit")).contains("1");
        HttpResponse<String> cleared = operator.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port
                + "/internal/v1/merchants/" + merchant.merchantId + "/rate_limit")).DELETE(), Map.of());
        assertThat(cleared.body()).contains("\"per_second\":1000");
        assertThat(pay(token, "{}").statusCode()).isEqualTo(400);
        assertThat(operator.get("/internal/v1/audit/verify").body()).contains("\"findings\":[]");
    }

    @Test
    void tokensAreValidatedLikeCards() {
        String token = accessToken("payments:write");
        assertParam(merchant.post(token, "/v1/tokens", "{\"card\": {\"number\": \"4242424242424241\", \"exp_month\": 12, \"exp_year\": 2030}}"),
                "card.number");
        assertParam(merchant.post(token, "/v1/tokens", "{\"card\": {\"number\": \"" + CARD + "\", \"exp_month\": 1, \"exp_year\": 2021}}"),
                "card.exp_year");
        assertParam(merchant.post(token, "/v1/tokens", "{}"), "card");
        assertParam(pay(token, "{\"amount\": 100, \"currency\": \"EUR\", \"payment_method\": {\"type\": \"card_token\"}}"),
                "payment_method.token");
        assertParam(pay(token, "{\"amount\": 105, \"currency\": \"BHD\", \"payment_method\": {\"type\": \"card_token\", "
                + "\"token\": \"tok_01JD0000000000000000000000\"}}"), "amount");
        assertParam(pay(token, "{\"amount\": 100, \"currency\": \"XYZ\", \"payment_method\": {\"type\": \"card_token\", "
                + "\"token\": \"tok_01JD0000000000000000000000\"}}"), "currency");
    }

    @Test
    void webhookEndpointsAreRegisteredListedAndDeletedWithTheSecretShownOnce() {
        String token = accessToken("payments:read payments:write");
        HttpResponse<String> created = merchant.post(token, "/v1/webhook_endpoints",
                "{\"url\": \"https://shop.example/hooks\", \"events\": [\"payment.captured\", \"refund.succeeded\"]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        Map<String, Object> endpoint = json(created.body());
        assertThat((String) endpoint.get("id")).startsWith("we_");
        assertThat((String) endpoint.get("secret")).startsWith("whsec_");
        String list = merchant.get(token, "/v1/webhook_endpoints").body();
        assertThat(list).contains((String) endpoint.get("id")).doesNotContain("whsec_");
        assertThat(new MerchantSession(port).get(new MerchantSession(port).writeToken(), "/v1/webhook_endpoints").body())
                .doesNotContain((String) endpoint.get("id"));

        assertParam(merchant.post(token, "/v1/webhook_endpoints", "{\"url\": \"http://shop.example/hooks\", \"events\": [\"payment.captured\"]}"), "url");
        assertParam(merchant.post(token, "/v1/webhook_endpoints", "{\"url\": \"https://10.0.0.8/hooks\", \"events\": [\"payment.captured\"]}"), "url");
        assertParam(merchant.post(token, "/v1/webhook_endpoints", "{\"url\": \"https://shop.example/h\", \"events\": [\"payment.exploded\"]}"), "events.0");
        assertParam(merchant.post(token, "/v1/webhook_endpoints", "{\"url\": \"https://shop.example/h\", \"events\": []}"), "events");

        HttpResponse<String> deleted = merchant.delete(token, "/v1/webhook_endpoints/" + endpoint.get("id"));
        assertThat(deleted.statusCode()).isEqualTo(200);
        assertThat(deleted.body()).contains("\"deleted\":true");
        assertThat(merchant.delete(token, "/v1/webhook_endpoints/" + endpoint.get("id")).statusCode()).isEqualTo(404);
        assertThat(merchant.get(token, "/v1/webhook_endpoints").body()).doesNotContain((String) endpoint.get("id"));
    }

    private static void assertParam(HttpResponse<String> response, String param) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(response.body()).contains("\"param\":\"" + param + "\"").contains("invalid_request_error");
    }
}
