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
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ./nightjar bench}: pays with a test card as fast as {@code concurrency} merchants' integrations
 * can, each waiting for its answer before the next request (closed loop), over pooled keep-alive HTTPS
 * against the running local platform. Prints throughput, status counts and latency percentiles.
 * Every request carries its own Idempotency-Key, as a real integration's would.
 */
public final class PaymentBenchmark {

    /** @param warmup requests sent first and not measured, so the JIT has compiled the hot path */
    public record Settings(int concurrency, Duration duration, int warmup, String card, long amountMinor) {
    }

    public record Result(long requests, double perSecond, Map<Integer, Long> statuses, double p50, double p90,
                         double p99, double p999, double max) {
    }

    private final Platform platform;
    private final PrintStream out;

    public PaymentBenchmark(Platform platform, PrintStream out) {
        this.platform = platform;
        this.out = out;
    }

    public Result run(Settings settings) throws InterruptedException {
        Platform.DemoMerchant merchant = platform.demoMerchant()
                .orElseThrow(() -> new IllegalStateException("no demo merchant: run ./nightjar up first"));
        HttpClient client = HttpClient.newBuilder()
                .sslContext(TlsContexts.forWorkload(platform.layout().tls(), null))
                .version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        String token = token(client, merchant);
        String body = """
                {"amount": %d, "currency": "EUR", "payment_method": {"type": "card",
                 "card": {"number": "%s", "exp_month": 12, "exp_year": 2030, "cvc": "123"}}}"""
                .formatted(settings.amountMinor(), settings.card());
        URI payments = URI.create(merchant.gatewayUrl() + "/v1/payments");
        String runId = Long.toString(System.currentTimeMillis(), 36);

        out.printf("warming up with %d payments...%n", settings.warmup());
        closedLoop(client, payments, token, body, runId + "w", settings.concurrency(), settings.warmup(), null,
                new LatencyRecorder(), new ConcurrentHashMap<>());

        out.printf("measuring: %d concurrent clients for %s%n", settings.concurrency(), settings.duration());
        LatencyRecorder latencies = new LatencyRecorder();
        Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
        long start = System.nanoTime();
        long deadline = start + settings.duration().toNanos();
        closedLoop(client, payments, token, body, runId, settings.concurrency(), Long.MAX_VALUE, deadline, latencies, statuses);
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<Integer, Long> counts = new TreeMap<>();
        statuses.forEach((status, n) -> counts.put(status, n.get()));
        Result result = new Result(latencies.count(), latencies.count() / seconds, counts,
                latencies.percentileMillis(0.50), latencies.percentileMillis(0.90), latencies.percentileMillis(0.99),
                latencies.percentileMillis(0.999), latencies.percentileMillis(1.0));
        out.printf("""
                payments       %d in %.1f s: %.0f per second
                statuses       %s
                latency (ms)   p50 %.1f   p90 %.1f   p99 %.1f   p99.9 %.1f   max %.1f
                """, result.requests(), seconds, result.perSecond(), result.statuses(), result.p50(), result.p90(),
                result.p99(), result.p999(), result.max());
        return result;
    }

    private static void closedLoop(HttpClient client, URI payments, String token, String body, String runId,
                                   int concurrency, long totalRequests, Long deadlineNanos,
                                   LatencyRecorder latencies, Map<Integer, AtomicLong> statuses) throws InterruptedException {
        AtomicLong issued = new AtomicLong();
        try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Runnable> loops = new ArrayList<>();
            for (int w = 0; w < concurrency; w++) {
                loops.add(() -> {
                    while (true) {
                        long n = issued.getAndIncrement();
                        if (n >= totalRequests || (deadlineNanos != null && System.nanoTime() >= deadlineNanos)) {
                            return;
                        }
                        HttpRequest request = HttpRequest.newBuilder(payments)
                                .timeout(Duration.ofSeconds(30))
                                .header("Authorization", "Bearer " + token)
                                .header("Content-Type", "application/json")
                                .header("Idempotency-Key", "bench-" + runId + "-" + n)
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build();
                        long sent = System.nanoTime();
                        int status;
                        try {
                            status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                        } catch (IOException e) {
                            status = -1;
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                        latencies.record(System.nanoTime() - sent);
                        statuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
                    }
                });
            }
            loops.forEach(workers::submit);
        }
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
