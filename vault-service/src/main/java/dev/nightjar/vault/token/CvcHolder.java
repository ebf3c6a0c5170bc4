package dev.nightjar.vault.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Holds a card's CVC in memory only, for the one authorization that needs it: taken (and forgotten) on
 * first detokenization, or dropped after its time to live. Never written anywhere. Bounded: past the
 * capacity a CVC is not kept, and the authorization goes ahead without it.
 */
public final class CvcHolder {

    private record Held(String cvc, Instant expiresAt) {
    }

    private final Map<String, Held> byToken = new ConcurrentHashMap<>();
    private final AtomicInteger size = new AtomicInteger();
    private final Duration ttl;
    private final int capacity;
    private final Clock clock;

    public CvcHolder(Duration ttl, int capacity, Clock clock) {
        this.ttl = ttl;
        this.capacity = capacity;
        this.clock = clock;
    }

    /** Keeps the CVC unless full; returns whether it was kept. */
    public boolean hold(String token, String cvc) {
        if (cvc == null) {
            return false;
        }
        if (size.incrementAndGet() > capacity) {
            size.decrementAndGet();
            evictExpired();
            return false;
        }
        if (byToken.put(token, new Held(cvc, clock.instant().plus(ttl))) != null) {
            size.decrementAndGet();
        }
        return true;
    }

    /** The CVC, once; null when it was never held, already taken or expired. */
    public String take(String token) {
        Held held = byToken.remove(token);
        if (held == null) {
            return null;
        }
        size.decrementAndGet();
        return held.expiresAt().isAfter(clock.instant()) ? held.cvc() : null;
    }

    public void evictExpired() {
        Instant now = clock.instant();
        for (Map.Entry<String, Held> entry : byToken.entrySet()) {
            if (!entry.getValue().expiresAt().isAfter(now) && byToken.remove(entry.getKey(), entry.getValue())) {
                size.decrementAndGet();
            }
        }
    }

    public int size() {
        return size.get();
    }
}
