package dev.nightjar.common.web;

import java.time.Duration;

/**
 * How many requests a service admits at once, adapted to how long a request's virtual thread waits for a CPU
 * (the scheduler's lag, {@link SchedulerLag}). A service whose requests wait for a carrier is doing more at once
 * than its CPU share can finish: a just-restarted one whose code is not compiled yet, or one starved by its
 * neighbours on a busy host. Every request admitted then makes every other one later, past the merchant's
 * patience; a fast 503 with {@code Retry-After} serves everyone sooner. Requests waiting on a database or
 * another service hold no carrier, so a slow dependency does not shrink the limit.
 *
 * <p>Additive increase, multiplicative decrease, as TCP does for the same reason: a lag over the target cuts the
 * limit by a quarter (down to {@code min}); a lag under half of it raises the limit by {@link #STEP} (up to
 * {@code max}). It starts at {@code min}: a service that has just started is at its slowest, and the clients that
 * waited for it all arrive at once.
 */
public final class AdmissionLimit {

    /** How much one calm observation raises the limit: with one observation every 50 ms, min to 128 in about 3 s. */
    static final int STEP = 2;

    private final int min;
    private final int max;
    private final long lagTargetNanos;
    private volatile int current;

    public AdmissionLimit(int min, int max, Duration lagTarget) {
        if (min < 1 || max < min) {
            throw new IllegalArgumentException("admission limit needs 1 <= min <= max, got " + min + ", " + max);
        }
        if (lagTarget.isNegative() || lagTarget.isZero()) {
            throw new IllegalArgumentException("scheduler lag target must be positive, got " + lagTarget);
        }
        this.min = min;
        this.max = max;
        this.lagTargetNanos = lagTarget.toNanos();
        this.current = min;
    }

    /** A fixed limit: {@code limit} requests at once whatever the lag. */
    public static AdmissionLimit fixed(int limit) {
        // min == max: no lag can move it, whatever the target
        return new AdmissionLimit(limit, limit, Duration.ofDays(1));
    }

    /** The requests admitted at once now. */
    public int current() {
        return current;
    }

    public int max() {
        return max;
    }

    /** One measurement of the scheduler's lag; called by one thread only. */
    void observe(long lagNanos) {
        int limit = current;
        if (lagNanos > lagTargetNanos) {
            current = Math.max(min, limit * 3 / 4);
        } else if (lagNanos < lagTargetNanos / 2) {
            current = Math.min(max, limit + STEP);
        }
    }
}
