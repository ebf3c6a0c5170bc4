package dev.nightjar.platform.bench;

import dev.nightjar.platform.MerchantApi;
import dev.nightjar.platform.Platform;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;

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
        HttpClient client = MerchantApi.client(platform);
        MerchantApi merchant;
        try {
            merchant = MerchantApi.demo(platform, client);
        } catch (IOException e) {
            throw new IllegalStateException("the gateway is not reachable; is the platform up?", e);
        }
        String body = """
                {"amount": %d, "currency": "EUR", "payment_method": {"type": "card",
                 "card": {"number": "%s", "exp_month": 12, "exp_year": 2030, "cvc": "123"}}}"""
                .formatted(settings.amountMinor(), settings.card());
        String runId = Long.toString(System.currentTimeMillis(), 36);
        java.util.function.LongFunction<HttpRequest> request = n -> merchant.request("/v1/payments", Duration.ofSeconds(30))
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
}
