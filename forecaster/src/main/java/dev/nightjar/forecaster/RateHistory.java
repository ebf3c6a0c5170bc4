package dev.nightjar.forecaster;

import dev.nightjar.forecaster.model.MinuteSeries;
import java.util.Arrays;

/**
 * One service's per-minute request rate over a sliding window that ends at the last minute read: newer minutes
 * push the oldest out. Values read again overwrite what was there (Prometheus may have more of a recent minute
 * on a later read); a minute never read, or read as NaN or negative, stays NaN.
 */
final class RateHistory {

    private final double[] window;
    private long endMinute;

    RateHistory(int windowMinutes, long endMinute) {
        this.window = new double[windowMinutes];
        Arrays.fill(window, Double.NaN);
        this.endMinute = endMinute;
    }

    /** Moves the window's end to {@code newEndMinute} (never backwards), then writes the values read from {@code fromMinute}. */
    void merge(long fromMinute, double[] values, long newEndMinute) {
        advanceTo(newEndMinute);
        long windowStart = endMinute - window.length;
        for (int i = 0; i < values.length; i++) {
            long minute = fromMinute + i;
            if (minute >= windowStart && minute < endMinute && values[i] >= 0) {
                window[(int) (minute - windowStart)] = values[i];
            }
        }
    }

    void advanceTo(long newEndMinute) {
        long shift = newEndMinute - endMinute;
        if (shift <= 0) {
            return;
        }
        if (shift >= window.length) {
            Arrays.fill(window, Double.NaN);
        } else {
            System.arraycopy(window, (int) shift, window, 0, window.length - (int) shift);
            Arrays.fill(window, window.length - (int) shift, window.length, Double.NaN);
        }
        endMinute = newEndMinute;
    }

    /** The window from its first observed minute on (leading minutes before any data are not history). */
    MinuteSeries series() {
        int first = 0;
        while (first < window.length && Double.isNaN(window[first])) {
            first++;
        }
        long windowStart = endMinute - window.length;
        return MinuteSeries.of(windowStart + first, Arrays.copyOfRange(window, first, window.length));
    }
}
