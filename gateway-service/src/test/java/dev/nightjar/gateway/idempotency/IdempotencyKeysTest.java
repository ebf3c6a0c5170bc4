package dev.nightjar.gateway.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class IdempotencyKeysTest {

    private static final byte[] HASH_KEY = "the gateway's idempotency hash key".getBytes(StandardCharsets.UTF_8);

    /** What the gateway has always stored: a key digest must not change, or replays across a deploy would miss. */
    private static String expectedDigest(String key) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(HASH_KEY, "HmacSHA256"));
        mac.update("idempotency-key\n".getBytes(StandardCharsets.UTF_8));
        return "idk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(key.getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void aKeysDigestIsTheKeyedHashItAlwaysWasWhateverRequestsRunAtOnce() throws Exception {
        IdempotencyKeys keys = new IdempotencyKeys(null, HASH_KEY, Duration.ofSeconds(30));
        List<String> merchantKeys = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            merchantKeys.add("order-" + i + (i % 5 == 0 ? " 4111111111111111" : ""));
        }
        for (String key : merchantKeys) {
            assertThat(keys.digest(key)).isEqualTo(expectedDigest(key));
        }
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Boolean>> answers = new ArrayList<>();
            for (int round = 0; round < 20; round++) {
                for (String key : merchantKeys) {
                    answers.add(threads.submit(() -> keys.digest(key).equals(expectedDigest(key))));
                }
            }
            for (Future<Boolean> answer : answers) {
                assertThat(answer.get()).isTrue();
            }
        }
    }
}
