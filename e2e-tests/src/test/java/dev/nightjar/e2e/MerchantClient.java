package dev.nightjar.e2e;

import dev.nightjar.common.security.Identities;
import dev.nightjar.contracts.json.Json;
import dev.nightjar.platform.FleetMember;
import dev.nightjar.platform.pki.TlsContexts;
import dev.nightjar.testsupport.TestHttp;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/** What a merchant's integration does, over real HTTPS against the gateway; plus the operator's view for checks. */
final class MerchantClient {

    private final Fleet.Running fleet;
    private final TestHttp merchant;
    private final TestHttp operator;
    private final String gateway;
    private final String merchantId;
    private final String clientId;
    private final String clientSecret;
    private String accessToken;

    /** The demo merchant. */
    MerchantClient(Fleet.Running fleet) {
        this(fleet, fleet.merchant().merchantId(), fleet.merchant().clientId(), fleet.merchant().clientSecret());
    }

    /** A new merchant, created through the operator API. */
    static MerchantClient newMerchant(Fleet.Running fleet, String name) {
        Map<String, Object> created = json(fleet.platform().createMerchant(name));
        return new MerchantClient(fleet, (String) created.get("merchant_id"), (String) created.get("client_id"),
                (String) created.get("client_secret"));
    }

    private MerchantClient(Fleet.Running fleet, String merchantId, String clientId, String clientSecret) {
        this.fleet = fleet;
        this.merchantId = merchantId;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.gateway = fleet.merchant().gatewayUrl();
        var tls = fleet.platform().layout().tls();
        this.merchant = TestHttp.withTls(gateway, TlsContexts.forWorkload(tls, null));
        this.operator = TestHttp.withTls("", TlsContexts.forWorkload(tls, Identities.OPERATOR));
    }

    HttpResponse<String> token(String scope) {
        String basic = basicCredentials();
        return merchant.send(HttpRequest.newBuilder(URI.create(gateway + "/oauth2/token"))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=" + scope.replace(" ", "%20"))),
                Map.of());
    }

    String accessToken() {
        if (accessToken == null) {
            accessToken = (String) json(token("payments:read payments:write").body()).get("access_token");
        }
        return accessToken;
    }

    HttpResponse<String> post(String path, String body, String idempotencyKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway + path))
                .header("Authorization", "Bearer " + accessToken())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return merchant.send(request, Map.of());
    }

    HttpResponse<String> get(String path) {
        return merchant.send(HttpRequest.newBuilder(URI.create(gateway + path))
                .header("Authorization", "Bearer " + accessToken()).GET(), Map.of());
    }

    /** A GET on a service's internal API, as the operator. */
    HttpResponse<String> operatorGet(FleetMember service, String path) {
        String url = "https://localhost:" + fleet.platform().layout().ports().service(service) + path;
        return operator.send(HttpRequest.newBuilder(URI.create(url)).GET(), Map.of());
    }

    String merchantId() {
        return merchantId;
    }

    /** {@code client_id:client_secret} as HTTP Basic credentials, for the token endpoint. */
    String basicCredentials() {
        return Base64.getEncoder().encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
    }

    String bearer(String scope) {
        return (String) json(token(scope).body()).get("access_token");
    }

    /** Any request, with this merchant's full-scope token unless the builder already names one. */
    HttpResponse<String> send(HttpRequest.Builder request) {
        return merchant.send(request.setHeader("Authorization", "Bearer " + accessToken()), Map.of());
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(gateway + path));
    }

    HttpResponse<String> delete(String path) {
        return send(request(path).DELETE());
    }

    /** A request with the given bearer token (or none), as a client other than this one might send it. */
    HttpResponse<String> sendAs(String bearer, HttpRequest.Builder request) {
        if (bearer != null) {
            request.setHeader("Authorization", "Bearer " + bearer);
        }
        return merchant.send(request, Map.of());
    }

    /** An operator GET on a service's management port (actuator). */
    HttpResponse<String> management(FleetMember service, String path) {
        String url = "https://localhost:" + fleet.platform().layout().ports().management(service) + path;
        return operator.send(HttpRequest.newBuilder(URI.create(url)).GET(), Map.of());
    }

    /** An operator call to any service's internal API. */
    HttpResponse<String> operator(FleetMember service, HttpRequest.Builder request, String path) {
        String url = "https://localhost:" + fleet.platform().layout().ports().service(service) + path;
        return operator.send(request.uri(URI.create(url)), Map.of());
    }

    static String cardPayment(long amount, String number) {
        return """
                {"amount": %d, "currency": "EUR", "payment_method": {"type": "card",
                 "card": {"number": "%s", "exp_month": 12, "exp_year": 2030, "cvc": "123"}}}""".formatted(amount, number);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(String body) {
        return Json.MAPPER.readValue(body, Map.class);
    }
}
