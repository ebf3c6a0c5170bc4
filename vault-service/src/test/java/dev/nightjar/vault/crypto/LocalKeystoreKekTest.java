package dev.nightjar.vault.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalKeystoreKekTest {

    @TempDir
    Path dir;

    @Test
    void keystoreIsCreatedOwnerReadableOnlyAndReopens() throws Exception {
        Path file = dir.resolve("kek.p12");
        LocalKeystoreKek kek = LocalKeystoreKek.open(file, "secret", true);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        KeyEncryptionKey.WrappedKey wrapped = kek.wrap(new byte[] {1, 2, 3}, "ctx");
        assertThat(LocalKeystoreKek.open(file, "secret", false).unwrap(wrapped, "ctx")).containsExactly(1, 2, 3);
    }

    @Test
    void wrongPasswordNeverRecreatesKeys() {
        Path file = dir.resolve("kek.p12");
        LocalKeystoreKek.open(file, "secret", true);
        assertThatThrownBy(() -> LocalKeystoreKek.open(file, "guess", true)).hasMessageContaining("integrity");
    }

    @Test
    void missingKeystoreIsAnErrorUnlessCreationIsAllowed() {
        assertThatThrownBy(() -> LocalKeystoreKek.open(dir.resolve("none.p12"), "secret", false))
                .hasMessageContaining("does not exist");
    }

    @Test
    void rotationKeepsOldVersionsAndAnotherInstanceSeesIt() {
        Path file = dir.resolve("kek.p12");
        LocalKeystoreKek first = LocalKeystoreKek.open(file, "secret", true);
        LocalKeystoreKek replica = LocalKeystoreKek.open(file, "secret", false);
        KeyEncryptionKey.WrappedKey old = first.wrap(new byte[] {9}, "ctx");
        assertThat(first.rotate()).isEqualTo(2);
        KeyEncryptionKey.WrappedKey fresh = first.wrap(new byte[] {8}, "ctx");
        assertThat(fresh.kekVersion()).isEqualTo(2);
        // The replica has not refreshed yet: unwrapping a version it lacks makes it read the keystore again.
        assertThat(replica.unwrap(fresh, "ctx")).containsExactly(8);
        assertThat(replica.currentVersion()).isEqualTo(2);
        assertThat(replica.unwrap(old, "ctx")).containsExactly(9);
        assertThatThrownBy(() -> replica.unwrap(old, "another row")).hasMessageContaining("tampered");
    }
}
