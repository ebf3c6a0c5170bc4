package dev.nightjar.vault.crypto;

import java.security.SecureRandom;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The fingerprint master key: made once per deployment, stored wrapped by the KEK, unwrapped into memory at start. */
public final class FingerprintKey {

    static final String ID = "fingerprint-v1";

    private FingerprintKey() {
    }

    public static SecretKey loadOrCreate(JdbcClient jdbc, KeyEncryptionKey kek) {
        byte[] fresh = new byte[32];
        new SecureRandom().nextBytes(fresh);
        KeyEncryptionKey.WrappedKey wrapped = kek.wrap(fresh, context());
        // Replicas starting together race here; the first insert wins and everyone reads it back.
        jdbc.sql("INSERT INTO fingerprint_keys (id, kek_version, wrapped_key) VALUES (:id, :version, :wrapped) ON CONFLICT DO NOTHING")
                .param("id", ID).param("version", wrapped.kekVersion()).param("wrapped", wrapped.ciphertext())
                .update();
        KeyEncryptionKey.WrappedKey stored = jdbc.sql("SELECT kek_version, wrapped_key FROM fingerprint_keys WHERE id = :id")
                .param("id", ID)
                .query((rs, n) -> new KeyEncryptionKey.WrappedKey(rs.getInt(1), rs.getBytes(2)))
                .single();
        return new SecretKeySpec(kek.unwrap(stored, context()), "HmacSHA256");
    }

    static String context() {
        return "nightjar-fingerprint-key:" + ID;
    }
}
