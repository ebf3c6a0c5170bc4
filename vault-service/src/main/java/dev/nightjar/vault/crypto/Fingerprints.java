package dev.nightjar.vault.crypto;

import dev.nightjar.common.security.Reusable;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * Card fingerprints: HMAC-SHA256 of the card number under a per-merchant key, which is itself
 * HMAC-SHA256(master key, merchant id), derived once per merchant and cached. The same card gives the
 * same fingerprint within one merchant and unrelated ones across merchants; without the master key a
 * fingerprint reveals nothing about the number.
 */
public final class Fingerprints {

    private static final int FINGERPRINT_BYTES = 16;

    private final SecretKey masterKey;
    private final Map<String, SecretKey> merchantKeys = new ConcurrentHashMap<>();
    /** Keyed again for each card (the key is the merchant's); kept to skip the provider lookup. */
    private final Reusable<Mac> macs = new Reusable<>(() -> Mac.getInstance("HmacSHA256"), 64);

    public Fingerprints(SecretKey masterKey) {
        this.masterKey = masterKey;
    }

    public String of(String merchantId, String cardNumber) {
        SecretKey key = merchantKeys.computeIfAbsent(merchantId, this::deriveMerchantKey);
        byte[] mac = hmac(key, cardNumber.getBytes(StandardCharsets.US_ASCII));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(mac, FINGERPRINT_BYTES));
    }

    private SecretKey deriveMerchantKey(String merchantId) {
        return new SecretKeySpec(hmac(masterKey, ("fingerprint:" + merchantId).getBytes(StandardCharsets.UTF_8)), "HmacSHA256");
    }

    private byte[] hmac(SecretKey key, byte[] data) {
        try {
            return macs.use(mac -> {
                mac.init(key.getAlgorithm().equals("HmacSHA256") ? key : new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
                return mac.doFinal(data);
            });
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }
}
