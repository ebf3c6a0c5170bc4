package dev.nightjar.vault.crypto;

/**
 * Wraps and unwraps data keys. The key-encryption key itself never leaves its keeper (the local keystore,
 * or HashiCorp Vault's Transit engine in production). Rotation adds a version that wraps from then on;
 * every older version stays able to unwrap, so no ciphertext ever becomes unreadable.
 */
public interface KeyEncryptionKey {

    /** The version new data keys are wrapped under. */
    int currentVersion();

    /** Wraps a data key under the current version; {@code context} is bound to the result. */
    WrappedKey wrap(byte[] dataKey, String context);

    /** Unwraps a data key wrapped under any version still held. */
    byte[] unwrap(WrappedKey wrapped, String context);

    /** Re-wraps under the current version without the data key leaving the keeper where it can. */
    default WrappedKey rewrap(WrappedKey wrapped, String context) {
        return wrap(unwrap(wrapped, context), context);
    }

    /** Makes a new version current; returns it. */
    int rotate();

    /** Picks up versions another replica made; cheap when nothing changed. */
    void refresh();

    /** A data key as stored: ciphertext and the KEK version that produced it. */
    record WrappedKey(int kekVersion, byte[] ciphertext) {
    }
}
