package dev.nightjar.platform.bench;

import dev.nightjar.common.security.Identities;
import dev.nightjar.contracts.json.Json;
import dev.nightjar.platform.FleetMember;
import dev.nightjar.platform.Platform;
import dev.nightjar.platform.pki.TlsContexts;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code ./nightjar bench-vault}: the vault alone, as its real callers use it: tokenize with the
 * gateway's certificate, then detokenize (each one audited, durably, before the answer) with
 * auth-service's, against the running local platform.
 */
public final class VaultBenchmark {

    private static final int WARMUP = 500;

    private final Platform platform;
    private final PrintStream out;

    public VaultBenchmark(Platform platform, PrintStream out) {
        this.platform = platform;
        this.out = out;
    }

    public void run(int concurrency, Duration duration) throws InterruptedException {
        String vault = "https://localhost:" + platform.layout().ports().service(FleetMember.VAULT);
        HttpClient asGateway = ClosedLoop.client(TlsContexts.forWorkload(platform.layout().tls(), Identities.GATEWAY));
        HttpClient asAuth = ClosedLoop.client(TlsContexts.forWorkload(platform.layout().tls(), Identities.AUTH));
        URI tokens = URI.create(vault + "/internal/v1/tokens");
        List<String> issued = new CopyOnWriteArrayList<>();
        java.util.function.LongFunction<HttpRequest> tokenize = n -> HttpRequest.newBuilder(tokens)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"merchant_id\": \"mer_bench\", \"number\": \"" + cardNumber()
                        + "\", \"exp_month\": 12, \"exp_year\": 2031}"))
                .build();
        java.util.function.LongFunction<HttpRequest> detokenize = n -> HttpRequest.newBuilder(
                        URI.create(vault + "/internal/v1/tokens/" + issued.get((int) (n % issued.size())) + "/detokenize"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"merchant_id\": \"mer_bench\", \"payment_id\": \"pay_bench\"}"))
                .build();
        java.util.function.BiConsumer<Long, java.net.http.HttpResponse<String>> keep = (n, response) -> {
            if (response.statusCode() == 201) {
                @SuppressWarnings("unchecked")
                Map<String, Object> token = Json.MAPPER.readValue(response.body(), Map.class);
                issued.add((String) token.get("token"));
            }
        };
        out.println("warming up...");
        ClosedLoop.run("warm-up", asGateway, concurrency, Duration.ofMinutes(5), WARMUP, tokenize, keep);
        ClosedLoop.run("warm-up", asAuth, concurrency, Duration.ofMinutes(5), WARMUP, detokenize, (n, r) -> { });
        out.printf("measuring: %d concurrent callers, %s each%n", concurrency, duration);
        ClosedLoop.run("tokenize", asGateway, concurrency, duration, Long.MAX_VALUE, tokenize, keep).print(out);
        ClosedLoop.run("detokenize", asAuth, concurrency, duration, Long.MAX_VALUE, detokenize, (n, r) -> { }).print(out);
    }

    /** A random Luhn-valid number on a test BIN. */
    static String cardNumber() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        StringBuilder number = new StringBuilder("400000");
        while (number.length() < 15) {
            number.append(random.nextInt(10));
        }
        int sum = 0;
        for (int i = 0; i < 15; i++) {
            int digit = number.charAt(14 - i) - '0';
            if (i % 2 == 0) {
                digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
            }
            sum += digit;
        }
        return number.append((10 - sum % 10) % 10).toString();
    }
}
