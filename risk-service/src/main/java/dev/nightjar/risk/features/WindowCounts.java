package dev.nightjar.risk.features;

/**
 * Payments and declines of one key in minute buckets for the last hour and, optionally, payments in hour
 * buckets for the last day, each in a ring buffer: constant memory per key and constant time per event.
 * Minutes are epoch minutes. An event older than a ring's reach is left out of that ring only, so events
 * may arrive in any order (a replay, a load from the database) and land where they belong.
 *
 * <p>Not thread-safe: {@link FeatureStore} holds each key's lock while it reads or writes.
 */
final class WindowCounts {

    static final int MINUTES = 60;
    static final int HOURS = 24;
    private static final long NONE = Long.MIN_VALUE;

    private final int[] paymentsByMinute = new int[MINUTES];
    /** Null when this key keeps no day window (merchants and IP addresses need none). */
    private final int[] paymentsByHour;
    /** Allocated at the first decline: most keys never see one. */
    private int[] declinesByMinute;
    /** The newest minute seen: the minute ring holds minutes (lastMinute - 60, lastMinute]. */
    private long lastMinute = NONE;

    WindowCounts(boolean keepDay) {
        this.paymentsByHour = keepDay ? new int[HOURS] : null;
    }

    void add(long minute, int payments, int declines) {
        if (payments < 0 || declines < 0) {
            throw new IllegalArgumentException("counts only grow: " + payments + ", " + declines);
        }
        if (lastMinute == NONE) {
            lastMinute = minute;
        } else if (minute > lastMinute) {
            advanceTo(minute);
        }
        if (minute > lastMinute - MINUTES) {
            paymentsByMinute[minuteSlot(minute)] += payments;
            if (declines > 0) {
                if (declinesByMinute == null) {
                    declinesByMinute = new int[MINUTES];
                }
                declinesByMinute[minuteSlot(minute)] += declines;
            }
        }
        if (paymentsByHour != null && hourOf(minute) > hourOf(lastMinute) - HOURS) {
            paymentsByHour[hourSlot(hourOf(minute))] += payments;
        }
    }

    /** Payments in the {@code windowMinutes} minute buckets ending with {@code nowMinute} (at most 60). */
    int payments(long nowMinute, int windowMinutes) {
        return sumMinutes(paymentsByMinute, nowMinute, windowMinutes);
    }

    int declines(long nowMinute, int windowMinutes) {
        return sumMinutes(declinesByMinute, nowMinute, windowMinutes);
    }

    /**
     * Payments in the sixty seconds before {@code nowMillis}, estimated from two buckets: all of the current
     * minute and the share of the previous minute that still lies in the window. Smooth across a minute
     * boundary, where a bare current-minute count would fall to zero.
     */
    double paymentsLastMinute(long nowMillis) {
        long nowMinute = Math.floorDiv(nowMillis, 60_000L);
        double elapsed = Math.floorMod(nowMillis, 60_000L) / 60_000.0;
        return payments(nowMinute, 1) + (1.0 - elapsed) * payments(nowMinute - 1, 1);
    }

    /** Payments in the 24 hour buckets ending with the hour of {@code nowMinute}: between 23 and 24 hours. */
    int paymentsLastDay(long nowMinute) {
        if (paymentsByHour == null || lastMinute == NONE) {
            return 0;
        }
        return sum(paymentsByHour, hourOf(nowMinute), hourOf(lastMinute), HOURS);
    }

    /** The newest minute with an event, or {@link Long#MIN_VALUE} when there was none. */
    long lastMinute() {
        return lastMinute;
    }

    private int sumMinutes(int[] ring, long nowMinute, int windowMinutes) {
        if (windowMinutes < 1 || windowMinutes > MINUTES) {
            throw new IllegalArgumentException("a minute window is 1 to 60 minutes: " + windowMinutes);
        }
        if (ring == null || lastMinute == NONE) {
            return 0;
        }
        return sum(ring, nowMinute, lastMinute, windowMinutes);
    }

    /**
     * The sum of the {@code window} slots of {@code ring} ending at unit {@code now}, counting only units the
     * ring still holds: those within its length of {@code last}, the newest unit written.
     */
    private static int sum(int[] ring, long now, long last, int window) {
        long from = Math.max(now - window + 1, last - ring.length + 1);
        long to = Math.min(now, last);
        int sum = 0;
        for (long unit = from; unit <= to; unit++) {
            sum += ring[(int) Math.floorMod(unit, (long) ring.length)];
        }
        return sum;
    }

    private void advanceTo(long minute) {
        long lastHour = hourOf(lastMinute);
        long newHour = hourOf(minute);
        if (minute - lastMinute >= MINUTES) {
            java.util.Arrays.fill(paymentsByMinute, 0);
            if (declinesByMinute != null) {
                java.util.Arrays.fill(declinesByMinute, 0);
            }
        } else {
            for (long m = lastMinute + 1; m <= minute; m++) {
                paymentsByMinute[minuteSlot(m)] = 0;
                if (declinesByMinute != null) {
                    declinesByMinute[minuteSlot(m)] = 0;
                }
            }
        }
        if (paymentsByHour != null) {
            if (newHour - lastHour >= HOURS) {
                java.util.Arrays.fill(paymentsByHour, 0);
            } else {
                for (long h = lastHour + 1; h <= newHour; h++) {
                    paymentsByHour[hourSlot(h)] = 0;
                }
            }
        }
        lastMinute = minute;
    }

    private static int minuteSlot(long minute) {
        return (int) Math.floorMod(minute, (long) MINUTES);
    }

    private static int hourSlot(long hour) {
        return (int) Math.floorMod(hour, (long) HOURS);
    }

    private static long hourOf(long minute) {
        return Math.floorDiv(minute, 60L);
    }
}
