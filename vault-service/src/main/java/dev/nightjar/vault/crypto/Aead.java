package dev.nightjar.vault.crypto;

import dev.nightjar.common.security.Reusable;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/** AES-256-GCM with a random 96-bit nonce stored in front of the ciphertext; the context is authenticated, not encrypted. */
public final class Aead {

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();
    /**
     * Ciphers kept between uses (each is keyed again for every use): finding one in the provider list was a
     * sixtieth of the vault's CPU. A pool of interchangeable, thread-safe parts, not state a caller can see.
     */
    private static final Reusable<Cipher> CIPHERS = new Reusable<>(() -> Cipher.getInstance("AES/GCM/NoPadding"), 64);

    private Aead() {
    }

    public static byte[] encrypt(SecretKey key, byte[] plaintext, String context) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            return CIPHERS.use(cipher -> {
                cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
                cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
                byte[] out = new byte[NONCE_BYTES + cipher.getOutputSize(plaintext.length)];
                System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
                cipher.doFinal(plaintext, 0, plaintext.length, out, NONCE_BYTES);
                return out;
            });
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    public static byte[] decrypt(SecretKey key, byte[] sealed, String context) {
        try {
            return CIPHERS.use(cipher -> {
                cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
                cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
                return cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
            });
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed: wrong key or tampered ciphertext", e);
        }
    }
}
