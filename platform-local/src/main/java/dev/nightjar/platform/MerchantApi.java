package dev.nightjar.platform;

import dev.nightjar.contracts.json.Json;
import dev.nightjar.platform.pki.TlsContexts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * The merchant API as an integration calls it: one pooled keep-alive HTTPS client that trusts the local
 * CA, an OAuth2 access token for one merchant, and requests with or without an Idempotency-Key. Used by
 * the benchmarks, the resilience scenario and the chaos run.
 */
public final class MerchantApi {

    /** What a merchant's integration signs in with: the merchant and its API client's id and secret. */
    public record Credentials(String merchantId, String clientId, String clientSecret) {
        /** The ids only: a secret never reaches a log or an assertion's message. */
        @Override
        public String toString() {
            return "Credentials[merchantId=" + merchantId + ", clientId=" + clientId + ", clientSecret=(hidden)]";
        }
    }

    private final HttpClient http;
    private final String gatewayUrl;
    private final Credentials credentials;
    private final String token;

    private MerchantApi(HttpClient http, String gatewayUrl, Credentials credentials) throws IOException, InterruptedException {
        this(http, gatewayUrl, credentials, token(http, gatewayUrl, credentials.clientId(), credentials.clientSecret()));
    }

    private MerchantApi(HttpClient http, String gatewayUrl, Credentials credentials, String token) {
        this.http = http;
        this.gatewayUrl = gatewayUrl;
        this.credentials = credentials;
        this.token = token;
    }

    /**
     * This merchant calling another gateway of the same platform, with the same token (every gateway reads the
     * signing keys from the gateway's database): a second instance measured beside the first.
     */
    public MerchantApi at(String otherGatewayUrl) {
        return new MerchantApi(http, otherGatewayUrl, credentials, token);
    }

    /** A pooled keep-alive HTTP/1.1 client for merchant calls: trusts the platform's CA, presents no certificate. */
    public static HttpClient client(Platform platform) {
        return client(platform, HttpClient.Version.HTTP_1_1);
    }

    /** The same, speaking {@code version} (HTTP/2 is negotiated, and falls back to HTTP/1.1). */
    public static HttpClient client(Platform platform, HttpClient.Version version) {
        return HttpClient.newBuilder()
                .sslContext(TlsContexts.forWorkload(platform.layout().tls(), null))
                .version(version)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /** The demo merchant that {@code ./nightjar up} made. */
    public static MerchantApi demo(Platform platform, HttpClient http) throws IOException, InterruptedException {
        Platform.DemoMerchant demo = platform.demoMerchant()
                .orElseThrow(() -> new IllegalStateException("no demo merchant: run ./nightjar up first"));
        return new MerchantApi(http, demo.gatewayUrl(), new Credentials(demo.merchantId(), demo.clientId(), demo.clientSecret()));
    }

    /** A new merchant, created through the operator API, with its own token. */
    @SuppressWarnings("unchecked")
    public static MerchantApi newMerchant(Platform platform, HttpClient http, String name)
            throws IOException, InterruptedException {
        Map<String, Object> merchant = Json.MAPPER.readValue(platform.createMerchant(name), Map.class);
        return signIn(platform, http, new Credentials((String) merchant.get("merchant_id"),
                (String) merchant.get("client_id"), (String) merchant.get("client_secret")));
    }

    /**
     * A merchant made before, signed in again with its {@code credentials}; fails with an {@link IllegalStateException}
     * when the platform gives it no token (the merchant or its client is gone).
     */
    public static MerchantApi signIn(Platform platform, HttpClient http, Credentials credentials)
            throws IOException, InterruptedException {
        return signIn(http, platform.gatewayUrl(), credentials);
    }

    /** The same, at the gateway of {@code gatewayUrl}. */
    public static MerchantApi signIn(HttpClient http, String gatewayUrl, Credentials credentials)
            throws IOException, InterruptedException {
        return new MerchantApi(http, gatewayUrl, credentials);
    }

    public String merchantId() {
        return credentials.merchantId();
    }

    public Credentials credentials() {
        return credentials;
    }

    public String gatewayUrl() {
        return gatewayUrl;
    }

    /** A POST with a JSON body (or none) and an Idempotency-Key (or none). */
    public HttpResponse<String> post(String path, String json, String idempotencyKey, Duration timeout)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = request(path, timeout).header("Content-Type", "application/json")
                .POST(json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> get(String path, Duration timeout) throws IOException, InterruptedException {
        return http.send(request(path, timeout).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A request to the merchant API with this merchant's bearer token, for callers that build their own. */
    public HttpRequest.Builder request(String path, Duration timeout) {
        return HttpRequest.newBuilder(URI.create(gatewayUrl + path)).timeout(timeout)
                .header("Authorization", "Bearer " + token);
    }

    private static String token(HttpClient http, String gatewayUrl, String clientId, String secret)
            throws IOException, InterruptedException {
        String basic = Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(gatewayUrl + "/oauth2/token"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + basic).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=payments:read%20payments:write"))
                .build(), HttpResponse.BodyHandlers.ofString());
        @SuppressWarnings("unchecked")
        Map<String, Object> answer = Json.MAPPER.readValue(response.body(), Map.class);
        Object token = answer.get("access_token");
        if (token == null) {
            throw new IllegalStateException("no access token (HTTP " + response.statusCode() + "): " + response.body());
        }
        return (String) token;
    }
}
