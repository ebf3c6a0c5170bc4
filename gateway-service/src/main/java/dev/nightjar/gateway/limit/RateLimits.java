package dev.nightjar.gateway.limit;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Per-merchant token buckets: {@code perSecond} tokens refill every second up to {@code burst}; a request
 * takes one. A merchant's own limit (set by an operator) replaces the defaults. Buckets live in this
 * gateway's memory, so with N replicas a merchant gets up to N times its limit; the limit protects the
 * platform from one merchant's flood rather than metering exactly.
 */
public final class RateLimits {

    /** A limit: sustained requests per second and the burst allowed on top. */
    public record Limit(int perSecond, int burst) {
    }

    /** Either allowed, or refused with how long to wait. */
    public record Decision(boolean allowed, long remaining, Duration retryAfter, Limit limit) {
    }

    private final JdbcClient jdbc;
    private final Limit defaults;
    private final Map<String, Entry> buckets = new ConcurrentHashMap<>();

    private record Entry(Limit limit, Bucket bucket) {
    }

    public RateLimits(JdbcClient jdbc, Limit defaults) {
        this.jdbc = jdbc;
        this.defaults = defaults;
    }

    public Decision tryAcquire(String merchantId) {
        Entry entry = buckets.computeIfAbsent(merchantId, id -> entry(limitOrDefaults(id)));
        ConsumptionProbe probe = entry.bucket().tryConsumeAndReturnRemaining(1);
        return new Decision(probe.isConsumed(), probe.getRemainingTokens(),
                Duration.ofNanos(probe.getNanosToWaitForRefill()), entry.limit());
    }

    /** Sets (or, with null, clears) a merchant's own limit; this gateway applies it at once. */
    public Limit set(String merchantId, Limit limit) {
        int updated = jdbc.sql("UPDATE merchants SET rate_limit_per_second = :rate, rate_limit_burst = :burst WHERE id = :id")
                .param("rate", limit == null ? null : limit.perSecond())
                .param("burst", limit == null ? null : limit.burst())
                .param("id", merchantId).update();
        if (updated == 0) {
            return null;
        }
        buckets.remove(merchantId);
        return limit == null ? defaults : limit;
    }

    public Limit limitOf(String merchantId) {
        Optional<Limit> own = jdbc.sql("""
                        SELECT rate_limit_per_second, rate_limit_burst FROM merchants
                        WHERE id = :id AND rate_limit_per_second IS NOT NULL""")
                .param("id", merchantId)
                .query((rs, n) -> new Limit(rs.getInt(1), rs.getInt(2)))
                .optional();
        return own.orElse(defaults);
    }

    /**
     * The merchant's limit; the default one while the database cannot be asked (a rate limit must not turn a
     * database outage into a 500 before the request reaches its 503), corrected by the next {@link #refresh}.
     */
    private Limit limitOrDefaults(String merchantId) {
        try {
            return limitOf(merchantId);
        } catch (org.springframework.dao.DataAccessException e) {
            return defaults;
        }
    }

    /** Drops every bucket, so limits changed by another replica apply here too. Called periodically. */
    public void refresh() {
        try {
            buckets.replaceAll((merchantId, entry) -> {
                Limit current = limitOf(merchantId);
                return current.equals(entry.limit()) ? entry : entry(current);
            });
        } catch (org.springframework.dao.DataAccessException e) {
            // the database is away: the limits known stay until the next refresh
        }
    }

    private static Entry entry(Limit limit) {
        Bandwidth bandwidth = Bandwidth.builder()
                .capacity(limit.burst())
                .refillGreedy(limit.perSecond(), Duration.ofSeconds(1))
                .build();
        return new Entry(limit, Bucket.builder().addLimit(bandwidth).build());
    }
}
