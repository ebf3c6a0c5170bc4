package dev.nightjar.vault.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.vault.VaultException;

/** The Transit key-encryption key against a server speaking Vault's Transit API. */
class VaultTransitKekTest {

    private static final String TOKEN = "s.test-token";
    private TransitServer vault;
    private VaultTransitKek kek;

    private TransitProperties properties(String token, boolean create) {
        return new TransitProperties(URI.create(vault.uri()), "transit", "nightjar-card-kek", "token", token, null,
                Path.of("/nonexistent"), null, create, Duration.ofSeconds(2), Duration.ofSeconds(5));
    }

    @BeforeEach
    void start() throws Exception {
        vault = new TransitServer(TOKEN, "transit");
        kek = new VaultTransitKek(TransitClients.transit(properties(TOKEN, true), null), "nightjar-card-kek");
    }

    @AfterEach
    void stop() {
        vault.close();
    }

    @Test
    void missingKeyIsCreatedAtStartWhenAllowed() {
        assertThat(vault.versions("nightjar-card-kek")).containsExactly(1);
        assertThat(kek.currentVersion()).isEqualTo(1);
    }

    @Test
    void wrappedKeyIsVaultCiphertextAndUnwrapsToTheSameBytes() {
        byte[] dataKey = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        KeyEncryptionKey.WrappedKey wrapped = kek.wrap(dataKey, "nightjar-data-key:dk_1");
        assertThat(new String(wrapped.ciphertext(), StandardCharsets.US_ASCII)).startsWith("vault:v1:");
        assertThat(wrapped.kekVersion()).isEqualTo(1);
        assertThat(kek.unwrap(wrapped, "nightjar-data-key:dk_1")).isEqualTo(dataKey);
    }

    @Test
    void wrappedKeyMovedToAnotherRowDoesNotUnwrap() {
        KeyEncryptionKey.WrappedKey wrapped = kek.wrap(new byte[32], "nightjar-data-key:dk_1");
        assertThatThrownBy(() -> kek.unwrap(wrapped, "nightjar-data-key:dk_2")).hasMessageContaining("does not belong");
    }

    @Test
    void rotationWrapsUnderTheNewVersionAndOldCiphertextsStillUnwrap() {
        byte[] dataKey = new byte[32];
        dataKey[0] = 7;
        KeyEncryptionKey.WrappedKey before = kek.wrap(dataKey, "ctx");
        assertThat(kek.rotate()).isEqualTo(2);
        KeyEncryptionKey.WrappedKey after = kek.wrap(dataKey, "ctx");
        assertThat(after.kekVersion()).isEqualTo(2);
        assertThat(new String(after.ciphertext(), StandardCharsets.US_ASCII)).startsWith("vault:v2:");
        assertThat(kek.unwrap(before, "ctx")).isEqualTo(dataKey);
        assertThat(kek.unwrap(after, "ctx")).isEqualTo(dataKey);
    }

    @Test
    void rewrapHappensInsideVaultAndMovesToTheLatestVersion() {
        byte[] dataKey = new byte[32];
        KeyEncryptionKey.WrappedKey old = kek.wrap(dataKey, "ctx");
        kek.rotate();
        int encryptsBefore = vault.encryptCalls.get();
        KeyEncryptionKey.WrappedKey rewrapped = kek.rewrap(old, "ctx");
        assertThat(rewrapped.kekVersion()).isEqualTo(2);
        assertThat(vault.rewrapCalls.get()).isEqualTo(1);
        assertThat(vault.encryptCalls.get()).as("the data key never left Vault").isEqualTo(encryptsBefore);
        assertThat(kek.unwrap(rewrapped, "ctx")).isEqualTo(dataKey);
        vault.setMinDecryptionVersion("nightjar-card-kek", 2);
        assertThatThrownBy(() -> kek.unwrap(old, "ctx")).isInstanceOf(VaultException.class)
                .hasMessageContaining("disallowed by policy");
        assertThat(kek.unwrap(rewrapped, "ctx")).isEqualTo(dataKey);
    }

    @Test
    void tamperedCiphertextIsRefusedByVault() {
        KeyEncryptionKey.WrappedKey wrapped = kek.wrap(new byte[32], "ctx");
        byte[] bytes = wrapped.ciphertext().clone();
        // a character in the middle of the base64 payload: every one of its bits counts (near the end, padding
        // leaves bits that decoders ignore, and a change there would change nothing)
        int middle = bytes.length / 2 + 4;
        bytes[middle] = (byte) (bytes[middle] == 'A' ? 'B' : 'A');
        assertThatThrownBy(() -> kek.unwrap(new KeyEncryptionKey.WrappedKey(1, bytes), "ctx"))
                .isInstanceOf(VaultException.class).hasMessageContaining("message authentication failed");
    }

    @Test
    void wrongTokenIsRefused() {
        assertThatThrownBy(() -> TransitClients.transit(properties("s.wrong", false), null).getKey("nightjar-card-kek"))
                .isInstanceOf(VaultException.class).hasMessageContaining("permission denied");
    }

    @Test
    void unknownKeyIsAnErrorNotASilentCreation() {
        var transit = TransitClients.transit(properties(TOKEN, false), null);
        assertThatThrownBy(() -> new VaultTransitKek(transit, "no-such-key")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> transit.decrypt("no-such-key", "vault:v1:AAAA")).isInstanceOf(VaultException.class)
                .hasMessageContaining("encryption key not found");
    }

    @Test
    void versionIsReadFromTheCiphertextPrefix() {
        assertThat(VaultTransitKek.versionOf("vault:v12:abc")).isEqualTo(12);
        assertThatThrownBy(() -> VaultTransitKek.versionOf("nope")).isInstanceOf(IllegalStateException.class);
    }
}
