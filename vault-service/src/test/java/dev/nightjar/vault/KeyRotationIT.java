package dev.nightjar.vault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.common.security.Identities;
import dev.nightjar.contracts.json.Json;
import dev.nightjar.testsupport.ServiceTestEnvironment;
import dev.nightjar.testsupport.TestHttp;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Key rotation without downtime: traffic goes on while the KEK rotates and data keys are rewrapped. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class KeyRotationIT {

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) throws Exception {
        ServiceTestEnvironment.tls(registry);
        ServiceTestEnvironment.database(registry, "vault_rotation", "vault");
        Path keys = Files.createTempDirectory("vault-keys");
        registry.add("nightjar.vault.keystore.path", () -> keys.resolve("kek.p12").toString());
        registry.add("nightjar.vault.keystore.password", () -> "test-password");
    }

    @LocalServerPort
    int port;

    private final Map<String, TestHttp> clients = new ConcurrentHashMap<>();

    /** One client (one pool of TLS connections) per identity, as a real caller would keep. */
    private TestHttp as(String identity) {
        return clients.computeIfAbsent(identity, id -> new TestHttp("https://localhost:" + port, id));
    }

    @SuppressWarnings("unchecked")
    private String tokenize(String number) {
        HttpResponse<String> response = as(Identities.GATEWAY).postJson("/internal/v1/tokens",
                "{\"merchant_id\": \"mer_rot\", \"number\": \"" + number + "\", \"exp_month\": 12, \"exp_year\": 2031}");
        if (response.statusCode() != 201) {
            throw new IllegalStateException("tokenize answered " + response.statusCode() + ": " + response.body());
        }
        return (String) Json.MAPPER.readValue(response.body(), Map.class).get("token");
    }

    @SuppressWarnings("unchecked")
    private String detokenize(String token) {
        HttpResponse<String> response = as(Identities.AUTH).postJson("/internal/v1/tokens/" + token + "/detokenize",
                "{\"merchant_id\": \"mer_rot\", \"payment_id\": \"pay_rot\"}");
        if (response.statusCode() != 200) {
            throw new IllegalStateException("detokenize answered " + response.statusCode() + ": " + response.body());
        }
        return (String) Json.MAPPER.readValue(response.body(), Map.class).get("number");
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> operatorPost(String path) {
        HttpResponse<String> response = as(Identities.OPERATOR).postJson(path, "{}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.MAPPER.readValue(response.body(), Map.class);
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyTokenStaysUsableWhileTheKekRotatesAndDataKeysAreRewrapped() throws Exception {
        Map<String, String> issued = new ConcurrentHashMap<>();
        AtomicInteger failures = new AtomicInteger();
        AtomicInteger operations = new AtomicInteger();
        AtomicBoolean running = new AtomicBoolean(true);
        List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (ExecutorService traffic = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int client = 0; client < 8; client++) {
                traffic.submit(() -> {
                    while (running.get()) {
                        try {
                            String number = Cards.random();
                            String token = tokenize(number);
                            issued.put(token, number);
                            // Read back a random earlier token as well as the new one.
                            String earlier = issued.keySet().stream().findAny().orElse(token);
                            if (!detokenize(token).equals(number) || !detokenize(earlier).equals(issued.get(earlier))) {
                                failures.incrementAndGet();
                            }
                            operations.incrementAndGet();
                        } catch (RuntimeException e) {
                            failures.incrementAndGet();
                            errors.add(e.getMessage());
                        }
                    }
                });
            }
            awaitOperations(operations, 40);
            assertThat(operatorPost("/internal/v1/keys/rotate").get("kek_version")).isEqualTo(2);
            awaitOperations(operations, operations.get() + 40);
            operatorPost("/internal/v1/keys/rewrap");
            assertThat(operatorPost("/internal/v1/keys/rotate").get("kek_version")).isEqualTo(3);
            awaitOperations(operations, operations.get() + 40);
            operatorPost("/internal/v1/keys/rewrap");
            awaitOperations(operations, operations.get() + 40);
            running.set(false);
        }
        assertThat(errors).isEmpty();
        assertThat(failures.get()).isZero();
        assertThat(operations.get()).isGreaterThan(160);

        Map<String, Object> keys = Json.MAPPER.readValue(as(Identities.OPERATOR).get("/internal/v1/keys").body(), Map.class);
        assertThat(keys.get("kek_version")).isEqualTo(3);
        List<Map<String, Object>> dataKeys = (List<Map<String, Object>>) keys.get("data_keys");
        assertThat(dataKeys).hasSizeGreaterThanOrEqualTo(3)
                .allSatisfy(key -> assertThat(key.get("kek_version")).as("rewrapped to the current KEK").isEqualTo(3));
        assertThat(dataKeys.stream().filter(key -> key.get("retired_at") == null)).hasSize(1);
        issued.forEach((token, number) -> assertThat(detokenize(token)).isEqualTo(number));
    }

    private static void awaitOperations(AtomicInteger operations, int atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (operations.get() < atLeast) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("traffic stalled at " + operations.get() + " operations");
            }
            Thread.sleep(20);
        }
    }
}
