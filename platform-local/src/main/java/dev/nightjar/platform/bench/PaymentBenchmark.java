package dev.nightjar.platform.bench;

import dev.nightjar.common.json.Json;
import dev.nightjar.platform.Platform;
import dev.nightjar.platform.pki.TlsContexts;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/**
 * {@code ./nightjar bench}: pays with a test card as fast as {@code concurrency} merchants' integrations
 * can, each waiting for its answer before the next request, against the running local platform. Every
 * request carries its own Idempotency-Key, as a real integration's would.
 */
public final class PaymentBenchmark {

    /** @param warmup requests sent first and not measured, so the JIT has compiled the hot path */
    public record Settings(int concurrency, Duration duration, int warmup, String card, long amountMinor) {
    }

    private final Platform platform;
    private final PrintStream out;

    public PaymentBenchmark(Platform platform, PrintStream out) {
        this.platform = platform;
        this.out = out;
    }

    public void run(Settings settings) throws InterruptedException {
        Platform.DemoMerchant merchant = platform.demoMerchant()
                .orElseThrow(() -> new IllegalStateException("no demo merchant: run ./nightjar up first"));
        HttpClient client = ClosedLoop.client(TlsContexts.forWorkload(platform.layout().tls(), null));
        String token = token(client, merchant);
        String body = """
                {"amount": %d, "currency": "EUR", "payment_method": {"type": "card",
                 "card": {"number": "%s", "exp_month": 12, "exp_year": 2030, "cvc": "123"}}}"""
                .formatted(settings.amountMinor(), settings.card());
        URI payments = URI.create(merchant.gatewayUrl() + "/v1/payments");
        String runId = Long.toString(System.currentTimeMillis(), 36);
        java.util.function.LongFunction<HttpRequest> request = n -> HttpRequest.newBuilder(payments)
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", "bench-" + runId + "-" + n)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();

        out.printf("warming up with %d payments...%n", settings.warmup());
        ClosedLoop.run("warm-up", client, settings.concurrency(), Duration.ofMinutes(10), settings.warmup(),
                n -> request.apply(Long.MAX_VALUE / 2 + n), (n, response) -> { });
        out.printf("measuring: %d concurrent clients for %s%n", settings.concurrency(), settings.duration());
        ClosedLoop.run("payments", client, settings.concurrency(), settings.duration(), Long.MAX_VALUE, request,
                (n, response) -> { }).print(out);
    }

    private static String token(HttpClient client, Platform.DemoMerchant merchant) throws InterruptedException {
        String basic = Base64.getEncoder().encodeToString(
                (merchant.clientId() + ":" + merchant.clientSecret()).getBytes(StandardCharsets.UTF_8));
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(merchant.gatewayUrl() + "/oauth2/token"))
                    .header("Authorization", "Basic " + basic)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=payments:read%20payments:write"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            @SuppressWarnings("unchecked")
            Map<String, Object> answer = Json.MAPPER.readValue(response.body(), Map.class);
            Object token = answer.get("access_token");
            if (token == null) {
                throw new IllegalStateException("no access token: " + response.body());
            }
            return (String) token;
        } catch (IOException e) {
            throw new IllegalStateException("the gateway is not reachable; is the platform up?", e);
        }
    }
}
