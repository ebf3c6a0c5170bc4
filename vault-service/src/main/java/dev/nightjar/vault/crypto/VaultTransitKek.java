package dev.nightjar.vault.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.springframework.vault.core.VaultTransitOperations;
import org.springframework.vault.support.VaultTransitContext;

/**
 * The key-encryption key in HashiCorp Vault's Transit engine (production). The key never leaves Vault:
 * data keys are sent to be encrypted, decrypted and rewrapped there. A wrapped key is Vault's ciphertext
 * ({@code vault:v<n>:…}), whose version is the Transit key version. The context is bound by prefixing
 * its digest to the plaintext, which works whether or not the Transit key is a derived one.
 */
public final class VaultTransitKek implements KeyEncryptionKey {

    private static final int CONTEXT_DIGEST_BYTES = 16;

    private final VaultTransitOperations transit;
    private final String keyName;
    private volatile int latestVersion;

    public VaultTransitKek(VaultTransitOperations transit, String keyName) {
        this.transit = transit;
        this.keyName = keyName;
        refresh();
    }

    @Override
    public int currentVersion() {
        return latestVersion;
    }

    @Override
    public WrappedKey wrap(byte[] dataKey, String context) {
        byte[] digest = digest(context);
        byte[] plaintext = new byte[digest.length + dataKey.length];
        System.arraycopy(digest, 0, plaintext, 0, digest.length);
        System.arraycopy(dataKey, 0, plaintext, digest.length, dataKey.length);
        String ciphertext = transit.encrypt(keyName, plaintext, VaultTransitContext.empty());
        return wrapped(ciphertext);
    }

    @Override
    public byte[] unwrap(WrappedKey wrapped, String context) {
        byte[] plaintext = transit.decrypt(keyName, new String(wrapped.ciphertext(), StandardCharsets.US_ASCII),
                VaultTransitContext.empty());
        byte[] digest = digest(context);
        if (plaintext.length <= digest.length
                || !MessageDigest.isEqual(Arrays.copyOf(plaintext, digest.length), digest)) {
            throw new IllegalStateException("wrapped key does not belong to " + context);
        }
        return Arrays.copyOfRange(plaintext, digest.length, plaintext.length);
    }

    /** Vault rewraps in place: the data key never leaves it. */
    @Override
    public WrappedKey rewrap(WrappedKey wrapped, String context) {
        refresh();
        return wrapped(transit.rewrap(keyName, new String(wrapped.ciphertext(), StandardCharsets.US_ASCII),
                VaultTransitContext.empty()));
    }

    @Override
    public int rotate() {
        transit.rotate(keyName);
        refresh();
        return latestVersion;
    }

    @Override
    public void refresh() {
        var key = transit.getKey(keyName);
        if (key == null) {
            throw new IllegalStateException("Transit key " + keyName + " does not exist");
        }
        latestVersion = key.getLatestVersion();
    }

    /** The Transit key version in {@code vault:v<n>:…}. */
    static int versionOf(String ciphertext) {
        if (!ciphertext.startsWith("vault:v")) {
            throw new IllegalStateException("not a Vault ciphertext");
        }
        int end = ciphertext.indexOf(':', 7);
        return Integer.parseInt(ciphertext.substring(7, end));
    }

    private static WrappedKey wrapped(String ciphertext) {
        return new WrappedKey(versionOf(ciphertext), ciphertext.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] digest(String context) {
        try {
            return Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(context.getBytes(StandardCharsets.UTF_8)),
                    CONTEXT_DIGEST_BYTES);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
