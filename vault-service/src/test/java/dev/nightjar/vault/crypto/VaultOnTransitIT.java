package dev.nightjar.vault.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nightjar.common.security.Identities;
import dev.nightjar.contracts.json.Json;
import dev.nightjar.testsupport.ServiceTestEnvironment;
import dev.nightjar.testsupport.TestHttp;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The whole vault with HashiCorp Vault Transit as its key-encryption key (production's configuration). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "nightjar.vault.kek.provider=vault-transit")
class VaultOnTransitIT {

    private static TransitServer vault;

    @DynamicPropertySource
    static void environment(DynamicPropertyRegistry registry) throws Exception {
        vault = new TransitServer("s.nightjar", "transit");
        ServiceTestEnvironment.tls(registry);
        ServiceTestEnvironment.database(registry, "vault_transit", "vault");
        registry.add("nightjar.vault.kek.transit.uri", vault::uri);
        registry.add("nightjar.vault.kek.transit.token", () -> "s.nightjar");
        registry.add("nightjar.vault.kek.transit.create-key-if-missing", () -> "true");
    }

    @AfterAll
    static void stop() {
        vault.close();
    }

    @LocalServerPort
    int port;

    private TestHttp as(String identity) {
        return new TestHttp("https://localhost:" + port, identity);
    }

    @Test
    @SuppressWarnings("unchecked")
    void cardsAreWrappedByTransitAndSurviveRotationAndRewrap() {
        String number = "5555555555554444";
        String token = (String) Json.MAPPER.readValue(as(Identities.GATEWAY).postJson("/internal/v1/tokens",
                "{\"merchant_id\": \"mer_tr\", \"number\": \"" + number + "\", \"exp_month\": 3, \"exp_year\": 2033}").body(),
                Map.class).get("token");
        assertThat(vault.encryptCalls.get()).as("data key and fingerprint key wrapped by Vault").isGreaterThanOrEqualTo(2);

        Map<String, Object> rotated = Json.MAPPER.readValue(as(Identities.OPERATOR).postJson("/internal/v1/keys/rotate", "{}").body(), Map.class);
        assertThat(rotated.get("kek_version")).isEqualTo(2);
        assertThat(vault.versions("nightjar-card-kek")).containsExactly(1, 2);

        Map<String, Object> rewrapped = Json.MAPPER.readValue(as(Identities.OPERATOR).postJson("/internal/v1/keys/rewrap", "{}").body(), Map.class);
        assertThat(((Number) rewrapped.get("data_keys_moved")).intValue()).isGreaterThanOrEqualTo(2);
        assertThat(vault.rewrapCalls.get()).isGreaterThanOrEqualTo(2);

        // Only version 2 may decrypt now: everything must have been rewrapped for the card to come back.
        vault.setMinDecryptionVersion("nightjar-card-kek", 2);
        String detokenized = as(Identities.AUTH).postJson("/internal/v1/tokens/" + token + "/detokenize",
                "{\"merchant_id\": \"mer_tr\", \"payment_id\": \"pay_tr\"}").body();
        assertThat(detokenized).contains("\"number\":\"" + number + "\"");
    }
}
