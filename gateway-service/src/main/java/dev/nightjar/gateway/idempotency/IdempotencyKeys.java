package dev.nightjar.gateway.idempotency;

import dev.nightjar.common.error.ApiError;
import dev.nightjar.common.error.ApiException;
import dev.nightjar.common.error.ErrorType;
import dev.nightjar.common.security.Reusable;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * API idempotency, per merchant and key, in the gateway's database. The first request claims the key;
 * the same key with the same request then gets the first response back, with another request a 409,
 * and while the first is still running a 409 {@code request_in_progress}. A request that died without a
 * response releases its key, or its claim expires so a retry can take over.
 *
 * <p>Requests are compared by an HMAC of method, path and body under a key of the gateway's: the body
 * holds a card number, and only a keyed hash of it may be kept. The Idempotency-Key itself is kept only
 * as a keyed hash too, since a merchant may put anything in it, a card number included; services behind
 * the gateway see the same hash, never the merchant's key.
 */
public final class IdempotencyKeys {

    private static final byte[] KEY_PREFIX = "idempotency-key\n".getBytes(StandardCharsets.UTF_8);
    /** About the requests one gateway has in hand at once; more at a peak are made and dropped. */
    private static final int KEPT_MACS = 64;

    private final JdbcClient jdbc;
    private final Reusable<Mac> macs;
    private final Duration lock;

    public IdempotencyKeys(JdbcClient jdbc, byte[] hashKey, Duration lock) {
        this.jdbc = jdbc;
        SecretKeySpec key = new SecretKeySpec(hashKey, "HmacSHA256");
        this.macs = new Reusable<>(() -> {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        }, KEPT_MACS);
        this.lock = lock;
    }

    /** The first response of an earlier identical request. */
    public record Replay(int status, String body) {
    }

    /**
     * Claims the key, named by its {@link #digest} (made once per request by the caller: it is what is stored and
     * what the services behind the gateway see); a replay when the request was already answered; throws 409
     * otherwise.
     */
    public Optional<Replay> claim(String merchantId, String reference, String method, String path, byte[] body) {
        byte[] hash = hash(method, path, body);
        int claimed = jdbc.sql("""
                        INSERT INTO idempotency_keys (merchant_id, idempotency_key, request_hash, method, path, status, locked_until)
                        VALUES (:merchant, :key, :hash, :method, :path, 'in_progress', now() + make_interval(secs => :lock))
                        ON CONFLICT DO NOTHING""")
                .param("merchant", merchantId).param("key", reference).param("hash", hash).param("method", method)
                .param("path", path).param("lock", lock.toSeconds())
                .update();
        if (claimed == 1) {
            return Optional.empty();
        }
        Stored stored = jdbc.sql("""
                        SELECT request_hash, status, response_status, response_body, locked_until < now()
                        FROM idempotency_keys WHERE merchant_id = :merchant AND idempotency_key = :key""")
                .param("merchant", merchantId).param("key", reference)
                .query((rs, n) -> new Stored(rs.getBytes(1), rs.getString(2), rs.getInt(3), rs.getString(4), rs.getBoolean(5)))
                .optional()
                .orElseThrow(() -> inProgress());
        if (!MessageDigest.isEqual(stored.hash(), hash)) {
            throw new ApiException(409, new ApiError(ErrorType.IDEMPOTENCY.wireName(), "idempotency_key_in_use",
                    "This Idempotency-Key was already used with a different request.", null, null));
        }
        if ("completed".equals(stored.status())) {
            return Optional.of(new Replay(stored.responseStatus(), stored.responseBody()));
        }
        if (stored.lockExpired() && takeOver(merchantId, reference)) {
            return Optional.empty();
        }
        throw inProgress();
    }

    /** Keeps the response, to be replayed for the same key (named by its {@link #digest}). */
    public void complete(String merchantId, String reference, int status, String body) {
        jdbc.sql("""
                        UPDATE idempotency_keys SET status = 'completed', response_status = :status, response_body = :body,
                               completed_at = now(), locked_until = NULL
                        WHERE merchant_id = :merchant AND idempotency_key = :key""")
                .param("status", status).param("body", body).param("merchant", merchantId).param("key", reference)
                .update();
    }

    /**
     * Gives the key (named by its {@link #digest}) back after a failure that produced no answer worth replaying, so
     * a retry runs again.
     */
    public void release(String merchantId, String reference) {
        jdbc.sql("DELETE FROM idempotency_keys WHERE merchant_id = :merchant AND idempotency_key = :key AND status = 'in_progress'")
                .param("merchant", merchantId).param("key", reference)
                .update();
    }

    /**
     * Forgets keys older than {@code ttl} (completed ones, and in-flight ones whose holder is long gone), at
     * most {@code batch} rows per call; returns how many went.
     */
    public int purge(Duration ttl, int batch) {
        return jdbc.sql("""
                        DELETE FROM idempotency_keys WHERE (merchant_id, idempotency_key) IN (
                            SELECT merchant_id, idempotency_key FROM idempotency_keys
                            WHERE created_at < now() - make_interval(secs => :ttl)
                              AND (status = 'completed' OR locked_until < now())
                            LIMIT :batch)""")
                .param("ttl", ttl.toSeconds()).param("batch", batch)
                .update();
    }

    private boolean takeOver(String merchantId, String reference) {
        return jdbc.sql("""
                        UPDATE idempotency_keys SET locked_until = now() + make_interval(secs => :lock)
                        WHERE merchant_id = :merchant AND idempotency_key = :key AND status = 'in_progress'
                          AND locked_until < now()""")
                .param("lock", lock.toSeconds()).param("merchant", merchantId).param("key", reference)
                .update() == 1;
    }

    private static ApiException inProgress() {
        return new ApiException(409, new ApiError(ErrorType.IDEMPOTENCY.wireName(), "request_in_progress",
                "A request with this Idempotency-Key is still being processed; retry after it finishes.", null, null));
    }

    private byte[] hash(String method, String path, byte[] body) {
        try {
            return macs.use(mac -> {
                mac.update((method + " " + path + "\n").getBytes(StandardCharsets.UTF_8));
                mac.update(body == null ? new byte[0] : body);
                return mac.doFinal();
            });
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }

    /**
     * Valid keys are 1 to 255 printable ASCII characters, not all blank. An empty or blank key is refused, never
     * taken for "no key": a client that meant to send one would otherwise be charged twice on its retry.
     */
    public static void requireValidKey(String key) {
        if (key.isBlank() || key.length() > 255 || !key.chars().allMatch(c -> c >= 0x20 && c <= 0x7E)) {
            throw ApiException.invalidParameter("Idempotency-Key",
                    "Idempotency-Key must be 1 to 255 printable ASCII characters, not blank.");
        }
    }

    /** What is stored and passed on instead of the merchant's key: {@code idk_} and a keyed hash of it. */
    public String digest(String key) {
        try {
            byte[] keyed = macs.use(mac -> {
                mac.update(KEY_PREFIX);
                return mac.doFinal(key.getBytes(StandardCharsets.US_ASCII));
            });
            return "idk_" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(keyed);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }

    private record Stored(byte[] hash, String status, int responseStatus, String responseBody, boolean lockExpired) {
    }
}
