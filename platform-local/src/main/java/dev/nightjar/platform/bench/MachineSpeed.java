package dev.nightjar.platform.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * How fast this machine runs a fixed piece of work today, in milliseconds of the thread's own CPU time: the yardstick
 * for reading a bench's CPU per payment against another day's. The same build on the same kind of machine has
 * spent twice the CPU per payment from one day to the next (docs/performance.md); without this figure such a run
 * looks like a regression. The work is what the services do most: strings built and hashed, maps filled and read,
 * numbers formatted and parsed, an array sorted; it allocates, so the collector counts too. The best of several
 * rounds, after rounds that let the JIT compile it, is the figure: a round another process interrupted only grows.
 */
final class MachineSpeed {

    /** Rounds not counted, for the JIT; then the rounds measured. */
    static final int WARM_ROUNDS = 3;
    static final int ROUNDS = 7;
    private static final int ENTRIES = 50_000;
    private static final int SORTED = 200_000;

    /**
     * @param bestMillis   the fastest measured round's CPU time
     * @param medianMillis the median measured round's
     * @param rounds       how many rounds were measured
     * @param checksum     what the work computed: the same on every machine and every round
     */
    record Result(double bestMillis, double medianMillis, int rounds, long checksum) {
    }

    private MachineSpeed() {
    }

    /** Runs the warm-up and the measured rounds on the calling thread. */
    static Result measure() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        boolean cpuTime = threads.isCurrentThreadCpuTimeSupported();
        long checksum = 0;
        for (int i = 0; i < WARM_ROUNDS; i++) {
            checksum = work();
        }
        double[] millis = new double[ROUNDS];
        for (int i = 0; i < ROUNDS; i++) {
            long start = cpuTime ? threads.getCurrentThreadCpuTime() : System.nanoTime();
            long sum = work();
            long end = cpuTime ? threads.getCurrentThreadCpuTime() : System.nanoTime();
            if (sum != checksum) {
                throw new IllegalStateException("the fixed work computed " + sum + " after " + checksum);
            }
            millis[i] = (end - start) / 1e6;
        }
        Arrays.sort(millis);
        return new Result(OpenLoopReport.rounded(millis[0]), OpenLoopReport.rounded(millis[ROUNDS / 2]), ROUNDS, checksum);
    }

    /** One round of the fixed work; its result depends on nothing but the code. */
    static long work() {
        SplittableRandom random = new SplittableRandom(42);
        Map<String, Long> byKey = new HashMap<>();
        StringBuilder json = new StringBuilder();
        for (int i = 0; i < ENTRIES; i++) {
            long amount = random.nextLong(1, 1_000_000);
            String key = "pay_" + Long.toString(random.nextLong(Long.MAX_VALUE), 36);
            byKey.put(key, amount);
            json.setLength(0);
            json.append("{\"id\":\"").append(key).append("\",\"amount_minor\":").append(amount).append('}');
            byKey.merge(json.substring(7, 7 + key.length()), 1L, Long::sum);
        }
        long sum = 0;
        for (Map.Entry<String, Long> entry : byKey.entrySet()) {
            sum += entry.getKey().hashCode() ^ Long.parseLong(Long.toString(entry.getValue()));
        }
        long[] values = new long[SORTED];
        for (int i = 0; i < SORTED; i++) {
            values[i] = random.nextLong();
        }
        Arrays.sort(values);
        return sum + values[SORTED / 2] + byKey.size();
    }
}
