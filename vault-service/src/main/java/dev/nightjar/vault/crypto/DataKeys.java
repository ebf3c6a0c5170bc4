package dev.nightjar.vault.crypto;

import dev.nightjar.contracts.id.Ids;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The data keys that encrypt card numbers. The active key is unwrapped once and kept in memory, so
 * tokenizing costs one AES-GCM operation and no key derivation; older keys are unwrapped on first use
 * and cached. A new active key is made when the KEK version changes or the active key reaches its
 * maximum age; retired keys keep decrypting. {@link #rewrap()} moves every data key to the current KEK.
 */
public final class DataKeys {

    private static final int KEY_BYTES = 32;
    private static final String ID_PREFIX = "dk";

    /** A data key in memory, with the id stored beside every ciphertext it made. */
    public record DataKey(String id, int kekVersion, Instant createdAt, SecretKey key) {
    }

    /** A data key as an operator sees it: never the key. */
    public record Status(String id, int kekVersion, Instant createdAt, Instant retiredAt) {
    }

    private final JdbcClient jdbc;
    private final KeyEncryptionKey kek;
    private final Duration maxAge;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, DataKey> byId = new ConcurrentHashMap<>();
    private volatile DataKey active;

    public DataKeys(JdbcClient jdbc, KeyEncryptionKey kek, Duration maxAge, Clock clock) {
        this.jdbc = jdbc;
        this.kek = kek;
        this.maxAge = maxAge;
        this.clock = clock;
    }

    /** The key new ciphertexts are made with. */
    public DataKey active() {
        DataKey current = active;
        if (current != null && current.kekVersion() == kek.currentVersion() && !tooOld(current)) {
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

    /**
     * Re-wraps every data key still under an older KEK version with the current one; the keys themselves do
     * not change, so every ciphertext stays readable throughout. Returns how many were moved.
     */
    public int rewrap() {
        kek.refresh();
        int current = kek.currentVersion();
        List<Status> stale = jdbc.sql("SELECT id, kek_version, created_at, retired_at FROM data_keys WHERE kek_version < :v")
                .param("v", current)
                .query((rs, n) -> new Status(rs.getString(1), rs.getInt(2), rs.getTimestamp(3).toInstant(),
                        rs.getTimestamp(4) == null ? null : rs.getTimestamp(4).toInstant()))
                .list();
        int moved = 0;
        for (Status key : stale) {
            byte[] wrapped = jdbc.sql("SELECT wrapped_key FROM data_keys WHERE id = :id").param("id", key.id())
                    .query(byte[].class).single();
            KeyEncryptionKey.WrappedKey rewrapped = kek.rewrap(new KeyEncryptionKey.WrappedKey(key.kekVersion(), wrapped),
                    context(key.id()));
            moved += jdbc.sql("""
                            UPDATE data_keys SET wrapped_key = :wrapped, kek_version = :version
                            WHERE id = :id AND kek_version = :old""")
                    .param("wrapped", rewrapped.ciphertext()).param("version", rewrapped.kekVersion())
                    .param("id", key.id()).param("old", key.kekVersion())
                    .update();
        }
        moved += rewrapFingerprintKey(current);
        return moved;
    }

    private int rewrapFingerprintKey(int current) {
        return jdbc.sql("SELECT kek_version, wrapped_key FROM fingerprint_keys WHERE id = :id AND kek_version < :v")
                .param("id", FingerprintKey.ID).param("v", current)
                .query((rs, n) -> new KeyEncryptionKey.WrappedKey(rs.getInt(1), rs.getBytes(2)))
                .optional()
                .map(old -> {
                    KeyEncryptionKey.WrappedKey rewrapped = kek.rewrap(old, FingerprintKey.context());
                    return jdbc.sql("""
                                    UPDATE fingerprint_keys SET wrapped_key = :wrapped, kek_version = :version
                                    WHERE id = :id AND kek_version = :old""")
                            .param("wrapped", rewrapped.ciphertext()).param("version", rewrapped.kekVersion())
                            .param("id", FingerprintKey.ID).param("old", old.kekVersion())
                            .update();
                })
                .orElse(0);
    }

    public List<Status> status() {
        return jdbc.sql("SELECT id, kek_version, created_at, retired_at FROM data_keys ORDER BY created_at")
                .query((rs, n) -> new Status(rs.getString(1), rs.getInt(2), rs.getTimestamp(3).toInstant(),
                        rs.getTimestamp(4) == null ? null : rs.getTimestamp(4).toInstant()))
                .list();
    }

    private boolean tooOld(DataKey key) {
        return key.createdAt().plus(maxAge).isBefore(clock.instant());
    }

    private synchronized DataKey activate() {
        kek.refresh();
        int version = kek.currentVersion();
        if (active != null && active.kekVersion() == version && !tooOld(active)) {
            return active;
        }
        Optional<String> existing = jdbc.sql("""
                        SELECT id FROM data_keys
                        WHERE kek_version = :version AND retired_at IS NULL AND created_at > :youngest
                        ORDER BY created_at DESC LIMIT 1""")
                .param("version", version)
                .param("youngest", java.sql.Timestamp.from(clock.instant().minus(maxAge)))
                .query(String.class).optional();
        DataKey key = existing.map(this::byId).orElseGet(() -> create(version));
        // Older keys stop encrypting; they keep decrypting what they made.
        jdbc.sql("UPDATE data_keys SET retired_at = now() WHERE retired_at IS NULL AND id <> :id AND created_at < :created")
                .param("id", key.id()).param("created", java.sql.Timestamp.from(key.createdAt()))
                .update();
        active = key;
        return key;
    }

    private DataKey create(int version) {
        byte[] raw = new byte[KEY_BYTES];
        random.nextBytes(raw);
        String id = Ids.newId(ID_PREFIX);
        Instant created = clock.instant();
        KeyEncryptionKey.WrappedKey wrapped = kek.wrap(raw, context(id));
        jdbc.sql("INSERT INTO data_keys (id, kek_version, wrapped_key, created_at) VALUES (:id, :version, :wrapped, :created)")
                .param("id", id).param("version", wrapped.kekVersion()).param("wrapped", wrapped.ciphertext())
                .param("created", java.sql.Timestamp.from(created))
                .update();
        DataKey key = new DataKey(id, wrapped.kekVersion(), created, new SecretKeySpec(raw, "AES"));
        byId.put(id, key);
        return key;
    }

    private Optional<DataKey> load(String id) {
        return jdbc.sql("SELECT kek_version, wrapped_key, created_at FROM data_keys WHERE id = :id")
                .param("id", id)
                .query((rs, n) -> {
                    int version = rs.getInt(1);
                    byte[] raw = kek.unwrap(new KeyEncryptionKey.WrappedKey(version, rs.getBytes(2)), context(id));
                    return new DataKey(id, version, rs.getTimestamp(3).toInstant(), new SecretKeySpec(raw, "AES"));
                })
                .optional();
    }

    /** Binds a wrapped key to its row, so a wrapped key copied onto another row does not unwrap. */
    static String context(String dataKeyId) {
        return "nightjar-data-key:" + dataKeyId;
    }
}
