package dev.nightjar.vault.crypto;

/**
 * Wraps and unwraps data keys. The key-encryption key itself never leaves its keeper (the local keystore,
 * or HashiCorp Vault's Transit engine in production); old versions stay able to unwrap.
 */
public interface KeyEncryptionKey {

    /** The version new data keys are wrapped under. */
    int currentVersion();

    /** Wraps a data key under the current version; {@code context} is bound to the result (AAD). */
    WrappedKey wrap(byte[] dataKey, String context);

    /** Unwraps a data key wrapped under any version still held. */
    byte[] unwrap(WrappedKey wrapped, String context);

    /** A data key as stored: ciphertext and the KEK version that produced it. */
    record WrappedKey(int kekVersion, byte[] ciphertext) {
    }
}
