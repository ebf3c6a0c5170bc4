package dev.nightjar.vault.crypto;

import dev.nightjar.common.id.Ids;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The data keys that encrypt card numbers. The active key is unwrapped once and kept in memory, so
 * tokenizing costs one AES-GCM operation and no key derivation; older keys are unwrapped on first use
 * and cached. A new active key is made when the KEK version changes.
 */
public final class DataKeys {

    private static final int KEY_BYTES = 32;
    private static final String ID_PREFIX = "dk";

    /** A data key in memory, with the id stored beside every ciphertext it made. */
    public record DataKey(String id, int kekVersion, SecretKey key) {
    }

    private final JdbcClient jdbc;
    private final KeyEncryptionKey kek;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, DataKey> byId = new ConcurrentHashMap<>();
    private volatile DataKey active;

    public DataKeys(JdbcClient jdbc, KeyEncryptionKey kek) {
        this.jdbc = jdbc;
        this.kek = kek;
    }

    /** The key new ciphertexts are made with. */
    public DataKey active() {
        DataKey current = active;
        if (current != null && current.kekVersion() == kek.currentVersion()) {
            return current;
        }
        return activate();
    }

    /** The key a stored ciphertext names. */
    public DataKey byId(String id) {
        DataKey cached = byId.get(id);
        if (cached != null) {
            return cached;
        }
        DataKey loaded = load(id).orElseThrow(() -> new IllegalStateException("unknown data key " + id));
        byId.put(id, loaded);
        return loaded;
    }

    private synchronized DataKey activate() {
        int version = kek.currentVersion();
        if (active != null && active.kekVersion() == version) {
            return active;
        }
        Optional<String> existing = jdbc.sql("""
                        SELECT id FROM data_keys WHERE kek_version = :version AND retired_at IS NULL
                        ORDER BY created_at DESC LIMIT 1""")
                .param("version", version).query(String.class).optional();
        DataKey key = existing.map(this::byId).orElseGet(() -> create(version));
        active = key;
        return key;
    }

    private DataKey create(int version) {
        byte[] raw = new byte[KEY_BYTES];
        random.nextBytes(raw);
        String id = Ids.newId(ID_PREFIX);
        KeyEncryptionKey.WrappedKey wrapped = kek.wrap(raw, context(id));
        jdbc.sql("INSERT INTO data_keys (id, kek_version, wrapped_key) VALUES (:id, :version, :wrapped)")
                .param("id", id).param("version", wrapped.kekVersion()).param("wrapped", wrapped.ciphertext())
                .update();
        DataKey key = new DataKey(id, wrapped.kekVersion(), new SecretKeySpec(raw, "AES"));
        byId.put(id, key);
        return key;
    }

    private Optional<DataKey> load(String id) {
        return jdbc.sql("SELECT kek_version, wrapped_key FROM data_keys WHERE id = :id")
                .param("id", id)
                .query((rs, n) -> {
                    int version = rs.getInt(1);
                    byte[] raw = kek.unwrap(new KeyEncryptionKey.WrappedKey(version, rs.getBytes(2)), context(id));
                    return new DataKey(id, version, new SecretKeySpec(raw, "AES"));
                })
                .optional();
    }

    /** Binds a wrapped key to its row, so a wrapped key copied onto another row does not unwrap. */
    static String context(String dataKeyId) {
        return "nightjar-data-key:" + dataKeyId;
    }
}
