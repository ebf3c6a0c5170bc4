package dev.nightjar.gateway.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Endpoint secrets: made here ({@code whsec_} and 32 random bytes), shown to the merchant once, kept
 * encrypted with AES-256-GCM bound to the endpoint id (a ciphertext moved to another row does not open).
 */
public final class WebhookSecrets {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int NONCE = 12;

    private final SecretKey key;

    public WebhookSecrets(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
    }

    public static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public byte[] seal(String endpointId, String secret) {
        byte[] nonce = new byte[NONCE];
        RANDOM.nextBytes(nonce);
        byte[] sealed = cipher(Cipher.ENCRYPT_MODE, endpointId, nonce, secret.getBytes(StandardCharsets.UTF_8));
        byte[] out = Arrays.copyOf(nonce, NONCE + sealed.length);
        System.arraycopy(sealed, 0, out, NONCE, sealed.length);
        return out;
    }

    public String open(String endpointId, byte[] ciphertext) {
        byte[] nonce = Arrays.copyOf(ciphertext, NONCE);
        byte[] plain = cipher(Cipher.DECRYPT_MODE, endpointId, nonce, Arrays.copyOfRange(ciphertext, NONCE, ciphertext.length));
        return new String(plain, StandardCharsets.UTF_8);
    }

    private byte[] cipher(int mode, String endpointId, byte[] nonce, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, key, new GCMParameterSpec(128, nonce));
            cipher.updateAAD(endpointId.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("webhook secret could not be " + (mode == Cipher.ENCRYPT_MODE ? "sealed" : "opened"), e);
        }
    }
}
