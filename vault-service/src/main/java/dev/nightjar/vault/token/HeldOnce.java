package dev.nightjar.vault.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Values kept in memory only, by token, for the one detokenization that needs them: taken (and forgotten) on
 * first use, or dropped after their time to live. Bounded: past the capacity a value is not kept, and the
 * caller goes on without it.
 */
public final class HeldOnce<V> {

    private record Held<V>(V value, Instant expiresAt) {
    }

    private final Map<String, Held<V>> byToken = new ConcurrentHashMap<>();
    private final AtomicInteger size = new AtomicInteger();
    private final Duration ttl;
    private final int capacity;
    private final Clock clock;

    public HeldOnce(Duration ttl, int capacity, Clock clock) {
        this.ttl = ttl;
        this.capacity = capacity;
        this.clock = clock;
    }

    /** Keeps the value unless it is null or the hold is full; returns whether it was kept. */
    public boolean hold(String token, V value) {
        if (value == null) {
            return false;
        }
        if (size.incrementAndGet() > capacity) {
            size.decrementAndGet();
            evictExpired();
            return false;
        }
        if (byToken.put(token, new Held<>(value, clock.instant().plus(ttl))) != null) {
            size.decrementAndGet();
        }
        return true;
    }

    /** The value, once; null when it was never held, already taken or expired. */
    public V take(String token) {
        return take(token, value -> true);
    }

    /**
     * The value, once, if it is there and {@code belongs} accepts it; null otherwise, and a value it does not
     * accept stays held.
     */
    public V take(String token, Predicate<V> belongs) {
        Held<V> held = byToken.get(token);
        if (held == null || !belongs.test(held.value()) || !byToken.remove(token, held)) {
            return null;
        }
        size.decrementAndGet();
        return held.expiresAt().isAfter(clock.instant()) ? held.value() : null;
    }

    public void evictExpired() {
        Instant now = clock.instant();
        for (Map.Entry<String, Held<V>> entry : byToken.entrySet()) {
            if (!entry.getValue().expiresAt().isAfter(now) && byToken.remove(entry.getKey(), entry.getValue())) {
                size.decrementAndGet();
            }
        }
    }

    public int size() {
        return size.get();
    }
}
