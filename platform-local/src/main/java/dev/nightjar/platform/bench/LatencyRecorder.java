package dev.nightjar.platform.bench;

import java.util.Arrays;

/** Latencies of one benchmark, in microseconds, kept whole for exact percentiles. Thread-safe. */
final class LatencyRecorder {

    private long[] micros = new long[1 << 16];
    private int count;

    synchronized void record(long nanos) {
        if (count == micros.length) {
            micros = Arrays.copyOf(micros, count * 2);
        }
        micros[count++] = nanos / 1_000;
    }

    synchronized int count() {
        return count;
    }

    /** The latency at quantile {@code q} (0..1) in milliseconds; 0 when nothing was recorded. */
    synchronized double percentileMillis(double q) {
        if (count == 0) {
            return 0;
        }
        long[] sorted = Arrays.copyOf(micros, count);
        Arrays.sort(sorted);
        int index = (int) Math.min(count - 1, Math.max(0, Math.ceil(q * count) - 1));
        return sorted[index] / 1000.0;
    }
}
