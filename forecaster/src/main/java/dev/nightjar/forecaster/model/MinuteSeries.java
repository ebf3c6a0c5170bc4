package dev.nightjar.forecaster.model;

import java.util.Arrays;

/**
 * A per-minute series on absolute epoch minutes: the value of minute {@code startMinute + i} is {@code values[i]},
 * {@link Double#NaN} where nothing was observed. Immutable.
 */
public final class MinuteSeries {

    private final long startMinute;
    private final double[] values;

    private MinuteSeries(long startMinute, double[] values) {
        this.startMinute = startMinute;
        this.values = values;
    }

    /** A copy of {@code values} starting at epoch minute {@code startMinute}; negative or infinite values are refused. */
    public static MinuteSeries of(long startMinute, double[] values) {
        for (double value : values) {
            if (value < 0 || Double.isInfinite(value)) {
                throw new IllegalArgumentException("a request rate is finite and not negative, got " + value);
            }
        }
        return new MinuteSeries(startMinute, values.clone());
    }

    public long startMinute() {
        return startMinute;
    }

    /** The minute after the last one: {@code startMinute + length}. */
    public long endMinute() {
        return startMinute + values.length;
    }

    public int length() {
        return values.length;
    }

    public double at(int index) {
        return values[index];
    }

    /** The value of an absolute epoch minute, NaN outside the series or where nothing was observed. */
    public double atMinute(long minute) {
        long index = minute - startMinute;
        return index < 0 || index >= values.length ? Double.NaN : values[(int) index];
    }

    /** Minutes with a value. */
    public int observedMinutes() {
        int observed = 0;
        for (double value : values) {
            observed += Double.isNaN(value) ? 0 : 1;
        }
        return observed;
    }

    /** The last minute with a value, or empty when there is none. */
    public java.util.OptionalLong lastObservedMinute() {
        for (int i = values.length - 1; i >= 0; i--) {
            if (!Double.isNaN(values[i])) {
                return java.util.OptionalLong.of(startMinute + i);
            }
        }
        return java.util.OptionalLong.empty();
    }

    /** The minutes {@code [from, to)} of this series (NaN where it has none). */
    public MinuteSeries slice(long fromMinute, long toMinute) {
        if (toMinute < fromMinute) {
            throw new IllegalArgumentException("slice end " + toMinute + " before its start " + fromMinute);
        }
        double[] slice = new double[Math.toIntExact(toMinute - fromMinute)];
        for (int i = 0; i < slice.length; i++) {
            slice[i] = atMinute(fromMinute + i);
        }
        return new MinuteSeries(fromMinute, slice);
    }

    @Override
    public String toString() {
        return "MinuteSeries[" + startMinute + ".." + endMinute() + ", observed " + observedMinutes() + "]";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MinuteSeries series && series.startMinute == startMinute
                && Arrays.equals(series.values, values);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(startMinute) * 31 + Arrays.hashCode(values);
    }
}
