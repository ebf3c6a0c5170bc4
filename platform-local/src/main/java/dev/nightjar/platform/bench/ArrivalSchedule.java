package dev.nightjar.platform.bench;

import java.time.Duration;

/**
 * The intended send times of an open-loop run: request {@code n} is due {@code n / rate} seconds after the
 * start, whatever happened to the ones before it. Latency is measured from these instants, not from the
 * moment a request actually left, so a platform (or a load generator) that falls behind shows its delay in
 * the figures instead of hiding it (no coordinated omission).
 *
 * @param ratePerSecond requests per second, above zero and at most {@link #MAX_RATE_PER_SECOND}
 * @param duration      how long requests are started for; the last answers may come after it
 */
record ArrivalSchedule(double ratePerSecond, Duration duration) {

    /** Far above what one box holds; a larger figure is a typing error, not a plan. */
    static final double MAX_RATE_PER_SECOND = 10_000;

    /** Long enough for any benchmark; a longer run is a soak test, which this is not. */
    static final Duration MAX_DURATION = Duration.ofHours(2);

    ArrivalSchedule {
        if (!(ratePerSecond > 0 && ratePerSecond <= MAX_RATE_PER_SECOND)) {
            throw new IllegalArgumentException("the rate must be above 0 and at most " + (long) MAX_RATE_PER_SECOND
                    + " per second: " + ratePerSecond);
        }
        if (duration.isNegative() || duration.isZero() || duration.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException("the duration must be above 0 and at most " + MAX_DURATION + ": " + duration);
        }
    }

    /** How many requests are due within the duration: those whose intended send time is before its end. */
    long requestCount() {
        long count = (long) Math.ceil(ratePerSecond * duration.toNanos() / 1e9);
        // ceil keeps a request due exactly at the end; it belongs to the next window, not this one
        return offsetNanos(count - 1) < duration.toNanos() ? count : count - 1;
    }

    /** When request {@code n} (from 0) is due, in nanoseconds after the start. */
    long offsetNanos(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("request numbers start at 0: " + n);
        }
        return Math.round(n * 1e9 / ratePerSecond);
    }

    /** When request {@code n} is due, on the {@link System#nanoTime()} clock of a run that started at {@code startNanos}. */
    long intendedSendNanos(long startNanos, long n) {
        return startNanos + offsetNanos(n);
    }
}
