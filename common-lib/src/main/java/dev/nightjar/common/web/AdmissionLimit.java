package dev.nightjar.common.web;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * How many requests a service admits at once, adapted to how long a request's virtual thread waits for a CPU
 * (the scheduler's lag, {@link SchedulerLag}). A service whose requests wait for a carrier is doing more at once
 * than its CPU share can finish: a just-restarted one whose code is not compiled yet, or one starved by its
 * neighbours on a busy host. Every request admitted then makes every other one later, past the merchant's
 * patience; a fast 503 with {@code Retry-After} serves everyone sooner. Requests waiting on a database or
 * another service hold no carrier, so a slow dependency does not shrink the limit.
 *
 * <p>Additive increase, multiplicative decrease, as TCP does for the same reason: a lag over the target cuts the
 * limit by a quarter (down to the floor); a lag under half of it raises the limit by {@link #STEP} (up to
 * {@code max}). The floor is {@code min}, and {@code coldMin} for the service's first {@code coldFor}: a service
 * that has just started is at its slowest, and the clients that waited for it all arrive at once. It starts at
 * that floor.
 */
public final class AdmissionLimit {

    /** How much one calm observation raises the limit: with one observation every 50 ms, min to 128 in about 3 s. */
    static final int STEP = 2;

    private final int coldMin;
    private final long coldUntilNanos;
    private final int min;
    private final int max;
    private final long lagTargetNanos;
    private final LongSupplier nanoClock;
    private volatile int current;
    /** Whether a request arrived since {@link SchedulerLag} last looked. */
    private final AtomicBoolean requested = new AtomicBoolean(true);
    /** The thread in {@link #awaitRequest}, null when none waits. */
    private volatile Thread waiting;

    public AdmissionLimit(int min, int max, Duration lagTarget) {
        this(min, Duration.ZERO, min, max, lagTarget, System::nanoTime);
    }

    /**
     * @param coldMin   the floor for the service's first {@code coldFor}, at most {@code min}
     * @param coldFor   how long after its creation the service counts as just started
     * @param min       the floor after that
     * @param max       the ceiling
     * @param lagTarget the scheduler lag over which the limit is cut
     * @param nanoClock the clock ({@link System#nanoTime})
     */
    public AdmissionLimit(int coldMin, Duration coldFor, int min, int max, Duration lagTarget, LongSupplier nanoClock) {
        if (coldMin < 1 || min < coldMin || max < min) {
            throw new IllegalArgumentException("admission limit needs 1 <= cold min <= min <= max, got " + coldMin
                    + ", " + min + ", " + max);
        }
        if (lagTarget.isNegative() || lagTarget.isZero()) {
            throw new IllegalArgumentException("scheduler lag target must be positive, got " + lagTarget);
        }
        if (coldFor.isNegative()) {
            throw new IllegalArgumentException("the cold phase cannot be negative, got " + coldFor);
        }
        this.coldMin = coldMin;
        this.min = min;
        this.max = max;
        this.lagTargetNanos = lagTarget.toNanos();
        this.nanoClock = nanoClock;
        this.coldUntilNanos = nanoClock.getAsLong() + coldFor.toNanos();
        this.current = coldMin;
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

    /**
     * A request arrived (the in-flight filter calls this for every request, admitted or not). Wakes a
     * {@link SchedulerLag} waiting in {@link #awaitRequest}. While requests keep coming this is one volatile read.
     */
    public void requested() {
        if (!requested.get() && requested.compareAndSet(false, true)) {
            Thread waiter = waiting;
            if (waiter != null) {
                LockSupport.unpark(waiter);
            }
        }
    }

    /** Whether a request arrived since the previous call; clears the mark. */
    boolean takeRequested() {
        return requested.getAndSet(false);
    }

    /**
     * Waits until a request arrives or {@code timeoutNanos} pass, whichever is first; returns at once if one
     * arrived since {@link #takeRequested}. The request that ends the wait is taken, as by {@link #takeRequested}.
     * Called by one thread only.
     */
    void awaitRequest(long timeoutNanos) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutNanos;
        waiting = Thread.currentThread();
        try {
            // The waiter is published before the mark is read, and requested() sets the mark before it reads the
            // waiter: one of the two always sees the other, so no request is slept through.
            while (!requested.getAndSet(false)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                LockSupport.parkNanos(this, left);
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
        } finally {
            waiting = null;
        }
    }

    /** Whether the limit is at its ceiling and {@code lagNanos} is well under the target: nothing to recover. */
    boolean calm(long lagNanos) {
        return current == max && lagNanos < lagTargetNanos / 2;
    }

    /** One measurement of the scheduler's lag; called by one thread only. */
    void observe(long lagNanos) {
        int floor = nanoClock.getAsLong() - coldUntilNanos < 0 ? coldMin : min;
        int limit = Math.max(floor, current);
        if (lagNanos > lagTargetNanos) {
            limit = Math.max(floor, limit * 3 / 4);
        } else if (lagNanos < lagTargetNanos / 2) {
            limit = Math.min(max, limit + STEP);
        }
        current = limit;
    }
}
