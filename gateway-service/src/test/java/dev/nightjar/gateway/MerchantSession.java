package dev.nightjar.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.common.security.Identities;
import dev.nightjar.contracts.json.Json;
import dev.nightjar.testsupport.TestHttp;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/** A merchant created through the operator API, with its credentials, talking to the gateway over HTTPS. */
final class MerchantSession {

    final String baseUrl;
    final String merchantId;
    final String clientId;
    final String clientSecret;
    final TestHttp http;

    MerchantSession(int port) {
        this.baseUrl = "https://localhost:" + port;
        this.http = new TestHttp(baseUrl, null);
        HttpResponse<String> created = new TestHttp(baseUrl, Identities.OPERATOR)
                .postJson("/internal/v1/merchants", "{\"name\": \"Test Shop\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        Map<String, Object> merchant = json(created.body());
        this.merchantId = (String) merchant.get("merchant_id");
        this.clientId = (String) merchant.get("client_id");
        this.clientSecret = (String) merchant.get("client_secret");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(String body) {
        return Json.MAPPER.readValue(body, Map.class);
    }

    HttpResponse<String> tokenRequest(String id, String secret, String scope) {
        String basic = Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
        return http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/oauth2/token"))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope="
                        + scope.replace(" ", "%20"))), Map.of());
    }

    String accessToken(String scope) {
        HttpResponse<String> response = tokenRequest(clientId, clientSecret, scope);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return (String) json(response.body()).get("access_token");
    }

    String writeToken() {
        return accessToken("payments:read payments:write");
    }

    HttpResponse<String> post(String token, String path, String body, String... headers) {
        Map<String, String> all = new HashMap<>(Map.of("Authorization", "Bearer " + token));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            all.put(headers[i], headers[i + 1]);
        }
        return http.postJson(path, body, all);
    }

    HttpResponse<String> get(String token, String path) {
        return http.get(path, Map.of("Authorization", "Bearer " + token));
    }

    HttpResponse<String> delete(String token, String path) {
        return http.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).DELETE(),
                Map.of("Authorization", "Bearer " + token));
    }
}
