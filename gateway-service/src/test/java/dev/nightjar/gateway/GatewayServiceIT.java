package dev.nightjar.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.common.security.Identities;
import dev.nightjar.contracts.json.Json;
import dev.nightjar.testsupport.RawHttps;
import dev.nightjar.testsupport.TestHttp;
import dev.nightjar.testsupport.TestTls;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/** The gateway against a real database; the rest of the fleet is unreachable here (it is real in the end-to-end tests). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class GatewayServiceIT {

    private static final String CARD = "4242424242424242";

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) {
        LoneGateway.environment(registry, "gateway");
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
    void merchantsMaySpeakHttp2OrHttp11AndGetTheSameAnswers() throws Exception {
        // On HTTP/1.1 Tomcat closes the connection after every 503, so each retry of a refused request costs a
        // new TLS handshake; on HTTP/2 a 503 ends one stream and the connection stays.
        javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLSv1.3");
        tls.init(null, dev.nightjar.testsupport.TestTls.trustManagers(), null);
        for (java.net.http.HttpClient.Version version : java.net.http.HttpClient.Version.values()) {
            java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder().sslContext(tls).version(version).build();
            java.net.http.HttpResponse<String> answer = client.send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create("https://localhost:" + port + "/v1/openapi.json")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.version()).as("negotiated by ALPN").isEqualTo(version);
            // refused before it is read: on HTTP/2 an answer carrying a Connection header was a reset stream
            java.net.http.HttpResponse<String> tooLarge = client.send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create("https://localhost:" + port + "/v1/payments"))
                            .header("Content-Type", "application/json")
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"d\": \"" + "x".repeat(17 * 1024) + "\"}"))
                            .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(tooLarge.statusCode()).isEqualTo(413);
            assertThat(tooLarge.body()).contains("\"code\":\"request_too_large\"");
        }
    }

    @Test
    void wrongSecretGetsNoToken() {
        assertThat(tokenRequest(merchant.clientId, "njs_wrong", "payments:read").statusCode()).isEqualTo(401);
    }

    @Test
    void aTokenRequestWithoutClientCredentialsIsA401InTheTokenEndpointsShape() throws Exception {
        RawHttps.Answer answer = raw(port).send(request("POST", "/oauth2/token", "grant_type=client_credentials",
                "Content-Type", "application/x-www-form-urlencoded", "Authorization", "Bearer not.a.jwt"));
        assertThat(answer.status()).isEqualTo(401);
        assertThat(json(answer.text())).containsEntry("error", "invalid_client");
        assertThat(answer.header("WWW-Authenticate")).hasValueSatisfying(value -> assertThat(value).startsWith("Basic"));
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
                + card + "}"), "metadata.note");
        assertParam(pay(token, "{\"amount\": 100, \"currency\": \"EUR\", \"metadata\": {\"5555-5555-5555-4444\": \"x\"}, "
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
        String path = "/v1/payments/" + dev.nightjar.contracts.id.Ids.newId("pay") + "/cancel";
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
        assertThat(merchant.get(token, "/v1/payments/" + dev.nightjar.contracts.id.Ids.newId("pay") + "/refunds").statusCode())
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

    // ---------------------------------------------------------------- input hardening: one test per defect found

    @Autowired
    JdbcClient jdbc;

    @LocalManagementPort
    int managementPort;

    private RawHttps raw(int serverPort) {
        return new RawHttps(TestTls.clientContext(null), "localhost", serverPort);
    }

    /** A request as bytes: request line, the headers given (Host first), the body with its length. */
    private static RawHttps.Request request(String method, String target, String body, String... headers) {
        List<RawHttps.Header> all = new ArrayList<>(List.of(RawHttps.Header.of("Host", "localhost")));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            all.add(RawHttps.Header.of(headers[i], headers[i + 1]));
        }
        return new RawHttps.Request(method, target, all,
                body == null ? null : body.getBytes(StandardCharsets.UTF_8), true, false);
    }

    private static RawHttps.Request withHeader(RawHttps.Request request, String name, byte[] value) {
        List<RawHttps.Header> all = new ArrayList<>(request.headers());
        all.add(new RawHttps.Header(name, value));
        return new RawHttps.Request(request.method(), request.target(), all, request.body(), true, false);
    }

    private static Map<String, Object> contractError(RawHttps.Answer answer, int status) {
        assertThat(answer.status()).as(answer.text()).isEqualTo(status);
        assertThat(answer.header("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        @SuppressWarnings("unchecked")
        Map<String, Object> error = (Map<String, Object>) json(answer.text()).get("error");
        assertThat(error).as(answer.text()).containsKeys("type", "message");
        assertThat(json(answer.text())).as("nothing but the error").containsOnlyKeys("error");
        return error;
    }

    private long idempotencyKeysOf(String merchantId) {
        return jdbc.sql("SELECT count(*) FROM idempotency_keys WHERE merchant_id = :merchant")
                .param("merchant", merchantId).query(Long.class).single();
    }

    private long auditRows() {
        String verified = new TestHttp("https://localhost:" + port, Identities.OPERATOR).get("/internal/v1/audit/verify").body();
        assertThat(verified).contains("\"findings\":[]");
        return ((Number) json(verified).get("rows")).longValue();
    }

    @Test
    void controlCharactersInFreeTextAreA400NamingTheFieldBeforeAnythingIsWritten() {
        String token = accessToken("payments:write");
        String card = "\"payment_method\": {\"type\": \"card\", \"card\": {\"number\": \"" + CARD
                + "\", \"exp_month\": 12, \"exp_year\": 2030}}";
        Map<String, String> fields = Map.of(
                "\"description\": \"a\\u0000b\"", "description",
                "\"reference\": \"a\\u0000b\"", "reference",
                "\"metadata\": {\"k\": \"a\\u0000b\"}", "metadata.k",
                "\"metadata\": {\"a\\u0000b\": \"v\"}", "metadata",
                "\"description\": \"a\\u0085b\"", "description",
                "\"reference\": \"a\\nb\"", "reference");
        fields.forEach((field, param) -> assertParam(merchant.post(token, "/v1/payments",
                "{\"amount\": 100, \"currency\": \"EUR\", " + field + ", " + card + "}", "Idempotency-Key", "nul-" + param),
                param));
        // a 400, not the 503 of the vault, which is unreachable here: it was never asked; and no key was claimed
        assertThat(idempotencyKeysOf(merchant.merchantId)).isZero();
        HttpResponse<String> multiLine = merchant.post(token, "/v1/payments",
                "{\"amount\": 100, \"currency\": \"EUR\", \"description\": \"2 tickets\\n\\trow 5\", " + card + "}");
        assertThat(multiLine.statusCode()).as("tab and line feed pass validation, then meet the unreachable vault").isEqualTo(503);
    }

    @Test
    void anIdempotencyKeyOfUtf8BytesIsA400NamingItAndNothingRawIsLogged(CapturedOutput output) throws Exception {
        String token = accessToken("payments:write");
        RawHttps.Request payment = request("POST", "/v1/payments", "{\"amount\": 100}", "Authorization", "Bearer " + token,
                "Content-Type", "application/json");
        byte[] key = "ключ".getBytes(StandardCharsets.UTF_8); // D0 BA D0 BB D1 8E D1 87: 0x8E and 0x87 are C1 controls
        Map<String, Object> error = contractError(raw(port).send(withHeader(payment, "Idempotency-Key", key)), 400);
        assertThat(error).containsEntry("param", "Idempotency-Key").containsEntry("code", "parameter_invalid");
        Map<String, Object> latin = contractError(raw(port).send(withHeader(payment, "Idempotency-Key",
                new byte[] {'k', (byte) 0xE9})), 400);
        assertThat(latin).containsEntry("param", "Idempotency-Key");
        assertThat(output.getAll()).doesNotContain(new String(key, StandardCharsets.ISO_8859_1).substring(0, 4))
                .doesNotContain("RequestRejectedException");
        assertThat(idempotencyKeysOf(merchant.merchantId)).isZero();
    }

    @Test
    void malformedPercentEncodingInTheQueryIsA400NotA500() throws Exception {
        String token = accessToken("payments:read");
        for (String query : new String[] {"limit=%zz", "limit=%", "starting_after=%C3%28", "%zz=1"}) {
            RawHttps.Answer answer = raw(port).send(request("GET", "/v1/payments?" + query, null, "Authorization", "Bearer " + token));
            assertThat(contractError(answer, 400).get("code")).as(query).isIn("parameter_invalid", "parameter_unknown");
        }
    }

    @Test
    void unknownOrRepeatedQueryParametersAreRefusedNamingThem() {
        String token = accessToken("payments:read payments:write");
        assertThat(json(merchant.get(token, "/v1/payments?limt=5").body()).toString()).contains("param=limt", "parameter_unknown");
        assertParam(merchant.get(token, "/v1/payments?limit=5&limit=6"), "limit");
        assertParam(merchant.get(token, "/v1/payments?limit=+5"), "limit");
        HttpResponse<String> onAPost = merchant.post(token, "/v1/payments?colour=red", "{}");
        assertThat(onAPost.statusCode()).isEqualTo(400);
        assertThat(onAPost.body()).contains("\"param\":\"colour\"");
        HttpResponse<String> card = merchant.get(token, "/v1/payments?" + CARD + "=1");
        assertThat(card.statusCode()).isEqualTo(400);
        assertThat(card.body()).contains("parameter_unknown").doesNotContain(CARD);
    }

    @Test
    void everyRefusalBeforeRoutingIsJsonInTheContractsShapeOnBothPorts() throws Exception {
        for (int serverPort : new int[] {port, managementPort}) {
            String where = serverPort == port ? "application port" : "management port";
            contractError(raw(serverPort).send(request("GET", "/v1/payments/%", null)), 400);
            contractError(raw(serverPort).send(request("GET", "/actuator/%zz", null)), 400);
            contractError(raw(serverPort).send(request("GET", "/actuator/health", null, "X-Big", "x".repeat(20 * 1024))), 431);
            contractError(raw(serverPort).send(withHeader(request("GET", "/actuator/health", null), "X-Probe",
                    new byte[] {'a', 0, 'b'})), 400);
            contractError(raw(serverPort).send(request("CONNECT", "/actuator/health", null)), 400);
            contractError(raw(serverPort).send(request("GET", "/actuator/health", null, "Transfer-Encoding", "gzip")), 400);
            contractError(raw(serverPort).send(request("GET", "/actuator/health", null, "Expect", "teapot")), 417);
            RawHttps.Answer trace = raw(serverPort).send(request("TRACE", "/actuator/health", null));
            contractError(trace, 405);
            assertThat(trace.header("Allow")).as(where).isPresent();
            contractError(raw(serverPort).send(request("GET", "/nothing/here", null, "Accept", "text/html")), 404);
        }
        // Spring Security's firewall on the application port
        contractError(raw(port).send(request("GET", "/v1/../internal/v1/audit/verify", null)), 400);
        contractError(raw(port).send(request("GET", "/v1/payments;x=1", null)), 400);
        contractError(raw(port).send(request("GET", "/v1/payments/a%2Fb", null)), 400);
    }

    @Test
    void anEmptyBlankOrRepeatedIdempotencyKeyIsA400AndNothingRuns() throws Exception {
        String token = accessToken("payments:write");
        String body = "{\"amount\": 100, \"currency\": \"EUR\", \"payment_method\": {\"type\": \"card\", \"card\": "
                + "{\"number\": \"" + CARD + "\", \"exp_month\": 12, \"exp_year\": 2030}}}";
        RawHttps.Request payment = request("POST", "/v1/payments", body, "Authorization", "Bearer " + token,
                "Content-Type", "application/json");
        for (byte[][] keys : new byte[][][] {{{}}, {"   ".getBytes(StandardCharsets.US_ASCII)}, {{}, {}},
                {"a".getBytes(StandardCharsets.US_ASCII), "b".getBytes(StandardCharsets.US_ASCII)}}) {
            RawHttps.Request sent = payment;
            for (byte[] key : keys) {
                sent = withHeader(sent, "Idempotency-Key", key);
            }
            for (int attempt = 0; attempt < 2; attempt++) {
                // twice: the old code took an empty key for none, and a retry was a second payment
                assertThat(contractError(raw(port).send(sent), 400)).containsEntry("param", "Idempotency-Key");
            }
        }
        assertThat(idempotencyKeysOf(merchant.merchantId)).isZero();
    }

    @Test
    void aMethodAUrlDoesNotServeIsA405WithAllowOnceAuthenticated() throws Exception {
        String token = accessToken("payments:read");
        for (String method : new String[] {"PUT", "PATCH", "DELETE", "FOO"}) {
            RawHttps.Answer answer = raw(port).send(request(method, "/v1/payments", null, "Authorization", "Bearer " + token));
            assertThat(contractError(answer, 405)).as(method).containsEntry("code", "method_not_allowed");
            assertThat(answer.header("Allow")).as(method).hasValueSatisfying(allow -> assertThat(allow).contains("GET", "POST"));
        }
        assertThat(raw(port).send(request("PUT", "/v1/payments", null)).status()).as("authentication first").isEqualTo(401);
        RawHttps.Answer options = raw(port).send(request("OPTIONS", "/v1/payments", null, "Authorization", "Bearer " + token));
        assertThat(options.status()).isEqualTo(200);
        assertThat(options.header("Allow")).hasValueSatisfying(allow -> assertThat(allow).contains("GET", "POST"));
        RawHttps.Answer document = raw(port).send(request("POST", "/v1/openapi.json", null));
        assertThat(contractError(document, 405)).as("a public URL needs no token to learn its methods")
                .containsEntry("code", "method_not_allowed");
        assertThat(document.header("Allow")).hasValueSatisfying(allow -> assertThat(allow).contains("GET"));
        RawHttps.Answer token405 = raw(port).send(request("GET", "/oauth2/token", null));
        contractError(token405, 405);
        assertThat(token405.header("Allow")).contains("POST");
        RawHttps.Answer tokensGet = raw(port).send(request("GET", "/v1/tokens", null, "Authorization", "Bearer " + token));
        contractError(tokensGet, 405);
        assertThat(tokensGet.header("Allow")).hasValueSatisfying(allow -> assertThat(allow).contains("POST"));
    }

    @Test
    void bodiesMustBeUtf8() throws Exception {
        String token = accessToken("payments:write");
        String body = "{\"amount\": 100, \"currency\": \"EUR\", \"payment_method\": {\"type\": \"card\", \"card\": "
                + "{\"number\": \"" + CARD + "\", \"exp_month\": 12, \"exp_year\": 2030}}}";
        for (String charset : new String[] {"utf-16", "iso-8859-1", "\"utf-16\""}) {
            assertThat(contractError(raw(port).send(request("POST", "/v1/payments", body, "Authorization", "Bearer " + token,
                    "Content-Type", "application/json; charset=" + charset)), 415)).containsEntry("code", "unsupported_media_type");
        }
        for (byte[] bytes : new byte[][] {body.getBytes(StandardCharsets.UTF_16), body.getBytes(StandardCharsets.UTF_16LE),
                ("\uFEFF" + body).getBytes(StandardCharsets.UTF_8)}) {
            RawHttps.Request utf16 = new RawHttps.Request("POST", "/v1/payments", List.of(RawHttps.Header.of("Host", "localhost"),
                    RawHttps.Header.of("Authorization", "Bearer " + token), RawHttps.Header.of("Content-Type", "application/json")),
                    bytes, true, false);
            assertThat(contractError(raw(port).send(utf16), 400)).containsEntry("code", "invalid_json");
        }
        assertThat(raw(port).send(request("POST", "/v1/payments", body, "Authorization", "Bearer " + token,
                "Content-Type", "application/json; charset=UTF-8")).status()).as("UTF-8 said aloud: valid, then the vault is away")
                .isEqualTo(503);
    }

    @Test
    void duplicateKeysDeepNestingAndNumbersOutOfRangeAreRefusedNamingTheField() {
        String token = accessToken("payments:write");
        assertThat(pay(token, "{\"amount\": 100, \"amount\": 100}").body()).contains("invalid_json");
        assertThat(pay(token, "{\"metadata\": " + "{\"a\": ".repeat(100) + "1" + "}".repeat(100) + "}").body()).contains("invalid_json");
        for (String amount : new String[] {"1e2", "100.0", "99999999999999999999999", "9223372036854775808", "-1", "1e400"}) {
            assertParam(pay(token, "{\"amount\": " + amount + ", \"currency\": \"EUR\", \"payment_method\": {\"type\": "
                    + "\"card_token\", \"token\": \"tok_01JD0000000000000000000000\"}}"), "amount");
        }
    }

    @Test
    void repeatedContentTypeOrAuthorizationAndBadContentLengthsAreRefusedWithJson() throws Exception {
        String token = accessToken("payments:write");
        String body = "{\"amount\": 0}";
        assertThat(contractError(raw(port).send(request("POST", "/v1/payments", body, "Authorization", "Bearer " + token,
                "Content-Type", "application/json", "Content-Type", "application/json")), 400)).containsEntry("param", "Content-Type");
        assertThat(contractError(raw(port).send(request("POST", "/v1/payments", body, "Authorization", "Bearer " + token,
                "Authorization", "Bearer " + token, "Content-Type", "application/json")), 400)).containsEntry("param", "Authorization");
        for (String length : new String[] {"abc", "-5", "1, 2"}) {
            RawHttps.Request bad = new RawHttps.Request("POST", "/v1/payments", List.of(RawHttps.Header.of("Host", "localhost"),
                    RawHttps.Header.of("Authorization", "Bearer " + token), RawHttps.Header.of("Content-Type", "application/json"),
                    RawHttps.Header.of("Content-Length", length)), body.getBytes(StandardCharsets.UTF_8), false, false);
            contractError(raw(port).send(bad), 400);
        }
    }

    @Test
    void aCardNumberInAReviewNoteIsRefusedAndNothingIsAudited() {
        String token = accessToken("payments:write");
        String held = "/v1/reviews/" + dev.nightjar.contracts.id.Ids.newId("pay") + "/approve";
        long before = auditRows();
        assertParam(merchant.post(token, held, "{\"reviewer\": \"alice\", \"note\": \"card " + CARD + "\"}",
                "Idempotency-Key", "review-pan"), "note");
        assertParam(merchant.post(token, held, "{\"reviewer\": \"4242 4242 4242 4242\"}"), "reviewer");
        assertParam(merchant.post(token, held, "{\"note\": \"a\\u0000b\"}"), "note");
        assertThat(auditRows()).as("refused before the audit log").isEqualTo(before);
        assertThat(idempotencyKeysOf(merchant.merchantId)).isZero();
        // a valid decision is audited first and then meets the unreachable transaction-service: the audit is real here
        assertThat(merchant.post(token, held, "{\"reviewer\": \"alice\", \"note\": \"known customer\"}").statusCode())
                .isEqualTo(503);
        assertThat(auditRows()).isEqualTo(before + 1);
    }

    @Test
    void aCardNumberOrControlCharacterInAMerchantNameIsRefused() {
        TestHttp operator = new TestHttp("https://localhost:" + port, Identities.OPERATOR);
        for (String name : new String[] {"Shop " + CARD, "Shop 4242-4242-4242-4242", "Shop\\u0000", "Shop\\nTwo"}) {
            HttpResponse<String> refused = operator.postJson("/internal/v1/merchants", "{\"name\": \"" + name + "\"}");
            assertParam(refused, "name");
            assertThat(refused.body()).doesNotContain("4242");
        }
        HttpResponse<String> unknown = operator.get("/internal/v1/merchants/" + CARD);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).doesNotContain(CARD);
    }
}
