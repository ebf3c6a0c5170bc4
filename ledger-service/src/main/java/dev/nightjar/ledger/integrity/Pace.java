package dev.nightjar.ledger.integrity;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Keeps a background walk to a share of the time: after each stretch of work it pauses in proportion, so that
 * work takes at most {@code share} of the wall clock. Measured by the wall clock, not by CPU time, because the walk
 * runs on a virtual thread (whose CPU time the JVM does not report) and waits for PostgreSQL, which works for it
 * meanwhile; on a busy machine its stretches take longer and its pauses grow with them.
 */
final class Pace {

    /** How the pace waits; the tests count instead of sleeping. */
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    /** How long to work before the first pause: long enough that a pause costs nothing to take. */
    static final Duration STRETCH = Duration.ofMillis(50);

    private static final Pace FULL_SPEED = new Pace(1.0, System::nanoTime, duration -> { });

    private final double share;
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;
    private long stretchStarted;

    Pace(double share, LongSupplier nanoTime, Sleeper sleeper) {
        if (!(share > 0 && share <= 1)) {
            throw new IllegalArgumentException("the share of the time a walk may take is above 0 and at most 1, not " + share);
        }
        this.share = share;
        this.nanoTime = nanoTime;
        this.sleeper = sleeper;
        this.stretchStarted = nanoTime.getAsLong();
    }

    /** A pace that never pauses: an operator who asked for the check waits for it. */
    static Pace fullSpeed() {
        return FULL_SPEED;
    }

    /** A fresh pace at {@code share} of the time, its first stretch starting now. */
    Pace restart() {
        return share == 1.0 ? this : new Pace(share, nanoTime, sleeper);
    }

    /** Called as work goes on: pauses once the current stretch has lasted {@link #STRETCH}. */
    void worked() {
        if (share == 1.0) {
            return;
        }
        long now = nanoTime.getAsLong();
        long worked = now - stretchStarted;
        if (worked < STRETCH.toNanos()) {
            return;
        }
        try {
            sleeper.sleep(Duration.ofNanos((long) (worked * (1 - share) / share)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while pacing the integrity walk", e);
        }
        stretchStarted = nanoTime.getAsLong();
    }
}
