package dev.nightjar.gateway.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.common.error.ApiError;
import dev.nightjar.common.error.ApiException;
import dev.nightjar.testsupport.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A merchant's POST under its Idempotency-Key, on the gateway's real schema: the key is stored and passed on as its
 * keyed hash, made once per request, and the stored row follows the request's outcome.
 */
class IdempotentRequestsTest {

    private static final byte[] HASH_KEY = "the gateway's idempotency hash key".getBytes(StandardCharsets.UTF_8);
    private static final String MERCHANT = "mer_idempotent";
    private static final String PATH = "/v1/payments";

    private static final TestPostgres.TestDatabase DATABASE = TestPostgres.migrated("gateway_idempotent_requests", "gateway");

    private final JdbcClient owner = JdbcClient.create(DATABASE.owner());
    private final IdempotencyKeys keys = new IdempotencyKeys(JdbcClient.create(DATABASE.app()), HASH_KEY, Duration.ofSeconds(30));
    private final IdempotentRequests requests = new IdempotentRequests(keys);
    /** The references the actions were given, in order. */
    private final List<String> given = new ArrayList<>();

    @BeforeEach
    void empty() {
        owner.sql("DELETE FROM idempotency_keys").update();
    }

    private ResponseEntity<String> run(String key, String body, int status) {
        return requests.run(MERCHANT, key, "POST", PATH, body.getBytes(StandardCharsets.UTF_8), reference -> {
            given.add(reference);
            return new IdempotentRequests.Answer(status, "{\"n\":" + given.size() + "}");
        });
    }

    private List<String> storedKeys() {
        return owner.sql("SELECT idempotency_key FROM idempotency_keys WHERE merchant_id = :merchant")
                .param("merchant", MERCHANT).query(String.class).list();
    }

    @Test
    void theActionIsGivenTheKeysHashWhichIsWhatIsStoredAndAReplayAnswersWithoutRunningIt() {
        String reference = keys.digest("order-1");
        assertThat(reference).startsWith("idk_").doesNotContain("order-1");

        ResponseEntity<String> first = run("order-1", "{\"amount\":100}", 201);
        assertThat(given).containsExactly(reference);
        assertThat(storedKeys()).containsExactly(reference);
        assertThat(first.getStatusCode().value()).isEqualTo(201);
        assertThat(first.getHeaders().containsHeader(IdempotentRequests.REPLAYED_HEADER)).isFalse();

        ResponseEntity<String> replay = run("order-1", "{\"amount\":100}", 201);
        assertThat(given).as("a replay does not run the action again").hasSize(1);
        assertThat(replay.getBody()).isEqualTo(first.getBody());
        assertThat(replay.getHeaders().getFirst(IdempotentRequests.REPLAYED_HEADER)).isEqualTo("true");
    }

    @Test
    void theSameKeyWithAnotherBodyIsRefusedAndNothingRuns() {
        run("order-2", "{\"amount\":100}", 201);
        assertThatThrownBy(() -> run("order-2", "{\"amount\":999}", 201))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.error().code()).isEqualTo("idempotency_key_in_use");
                });
        assertThat(given).hasSize(1);
    }

    @Test
    void aFailureWithNoAnswerGivesTheKeyBackAndADecidedRefusalIsKept() {
        ApiException unavailable = new ApiException(503, new ApiError("api_error", "unavailable", "try again", null, null));
        assertThatThrownBy(() -> requests.run(MERCHANT, "order-3", "POST", PATH, new byte[0], reference -> {
            given.add(reference);
            throw unavailable;
        })).isSameAs(unavailable);
        assertThat(storedKeys()).as("released under the hash it was claimed by").isEmpty();

        ApiException declined = new ApiException(402, new ApiError("card_error", "card_declined", "declined", null, null));
        ResponseEntity<String> refused = requests.run(MERCHANT, "order-3", "POST", PATH, new byte[0], reference -> {
            given.add(reference);
            throw declined;
        });
        assertThat(refused.getStatusCode().value()).isEqualTo(402);
        assertThat(refused.getBody()).contains("card_declined");
        assertThat(given).containsExactly(keys.digest("order-3"), keys.digest("order-3"));
        assertThat(owner.sql("SELECT status, response_status FROM idempotency_keys WHERE idempotency_key = :key")
                .param("key", keys.digest("order-3")).query((rs, n) -> rs.getString(1) + " " + rs.getInt(2)).single())
                .isEqualTo("completed 402");

        ResponseEntity<String> replay = run("order-3", "", 201);
        assertThat(replay.getStatusCode().value()).isEqualTo(402);
        assertThat(given).hasSize(2);
    }

    @Test
    void withoutAKeyTheActionRunsEachTimeGivenNoReferenceAndNothingIsStored() {
        run(null, "{}", 201);
        run(null, "{}", 201);
        assertThat(given).containsExactly(null, null);
        assertThat(storedKeys()).isEmpty();
    }
}
