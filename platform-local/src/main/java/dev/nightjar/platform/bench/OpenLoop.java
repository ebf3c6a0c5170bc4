package dev.nightjar.platform.bench;

import dev.nightjar.platform.bench.CardMix.CardKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * An open-loop load generator: request {@code n} is started on a virtual thread of its own at its intended
 * send time ({@link ArrivalSchedule}), whether or not the earlier ones were answered, as independent
 * customers arrive at a shop. Latency runs from the intended send time to the answer, into an HdrHistogram.
 */
final class OpenLoop {

    /** A request unanswered after this is counted as {@link #NO_ANSWER}. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    /**
     * Requests waiting for an answer at once; one due beyond it is not sent and counts as an error. The
     * platform has fallen far behind by then, and every unanswered request holds a TLS connection open.
     */
    static final int MAX_IN_FLIGHT = 2_000;

    /** The HTTP status of an answer that never came. */
    static final int NO_ANSWER = -1;

    /** Latencies are kept in microseconds to three significant digits, up to well past the request timeout. */
    private static final long HIGHEST_TRACKABLE_MICROS = TimeUnit.MINUTES.toMicros(5);

    /** The run is also tallied by intended send time in slices this long, to show how it went over time. */
    static final Duration INTERVAL = Duration.ofSeconds(10);

    /** What the platform answered to one request; {@code paymentStatus} null when there was no payment. */
    record Answer(CardKind kind, int httpStatus, String paymentStatus) {
    }

    /** Sends request {@code n} and waits for its answer, at most {@link #REQUEST_TIMEOUT}; never throws for a failed exchange. */
    interface Exchange {
        Answer send(long n) throws InterruptedException;
    }

    /**
     * Each process's cumulative CPU milliseconds by name, read at the start of every slice and at the end of
     * the schedule, so a slow slice shows which process spent the CPU.
     */
    interface CpuProbe {
        CpuProbe NONE = Map::of;

        Map<String, Double> cpuMillis();
    }

    /**
     * What one run at one rate measured.
     *
     * @param windowNanos     from the first intended send time to the last answer, or the schedule's duration
     *                        when that is longer (so a platform that keeps up achieves the rate, not a bit more)
     * @param httpStatuses    answers by HTTP status ({@code no answer}, {@code not sent} for the rest)
     * @param errors          everything that was not the answer its card should get, by what it was
     * @param outcomes        per card kind, how many got each answer ({@code 201 captured}, ...)
     * @param paymentsCreated answers that created a payment (201), what CPU figures are divided by
     * @param maxSendLagNanos how late the generator itself started a request, at worst: a large figure means
     *                        the load generator, not the platform, was short of CPU
     * @param intervals       the same run in {@link #INTERVAL} slices of intended send time, in order
     */
    record Result(double ratePerSecond, long scheduled, long answered, long windowNanos, Histogram latencyMicros,
                  Map<String, Long> httpStatuses, Map<String, Long> errors, Map<String, Map<String, Long>> outcomes,
                  long paymentsCreated, long maxSendLagNanos, List<Interval> intervals) {

        double achievedPerSecond() {
            return windowNanos <= 0 ? 0 : answered * 1e9 / windowNanos;
        }

        long errorCount() {
            return errors.values().stream().mapToLong(Long::longValue).sum();
        }

        /** The latency at {@code percentile} (0 to 100) in milliseconds; 0 with no sample. */
        double percentileMillis(double percentile) {
            return latencyMicros.getTotalCount() == 0 ? 0 : latencyMicros.getValueAtPercentile(percentile) / 1000.0;
        }

        double maxMillis() {
            return latencyMicros.getTotalCount() == 0 ? 0 : latencyMicros.getMaxValue() / 1000.0;
        }
    }

    /**
     * The requests whose intended send time fell in one slice of the run, from {@code fromSecond} (inclusive)
     * to {@code toSecond}: how many were due, how many created a payment, how many the platform shed with a 503,
     * how many got no answer, any other error, and their latency percentiles in milliseconds; and how much of the
     * slice the machine spent waiting for CPU or I/O ({@link Pressure}; null where the kernel does not say), and
     * each process's CPU in the slice as a percentage of one core (empty without a {@link CpuProbe}).
     */
    record Interval(double fromSecond, double toSecond, long scheduled, long created, long shed, long unanswered, long otherErrors,
                    double p50Millis, double p99Millis, Pressure.Shares pressure, Map<String, Double> cpuPercentOfCore) {

        /** The CPU of every process read in the slice, as a percentage of one core. */
        double totalCpuPercentOfCore() {
            return cpuPercentOfCore.values().stream().mapToDouble(Double::doubleValue).sum();
        }

        /**
         * The process that spent the most above its own share over the whole window ({@code windowPercentOfCore}),
         * and by how many percentage points of a core; empty when no process spent more than its share.
         */
        Optional<Map.Entry<String, Double>> mostAbove(Map<String, Double> windowPercentOfCore) {
            return cpuPercentOfCore.entrySet().stream()
                    .filter(process -> windowPercentOfCore.containsKey(process.getKey()))
                    .map(process -> Map.entry(process.getKey(), process.getValue() - windowPercentOfCore.get(process.getKey())))
                    .filter(excess -> excess.getValue() > 0)
                    .max(Map.Entry.comparingByValue());
        }
    }

    private OpenLoop() {
    }

    /** Runs {@code schedule} against {@code exchange}; returns once every request sent has been answered or given up on. */
    static Result run(ArrivalSchedule schedule, Exchange exchange) throws InterruptedException {
        return run(schedule, INTERVAL, exchange, CpuProbe.NONE);
    }

    /** As {@link #run(ArrivalSchedule, Exchange)}, with each process's CPU in each slice read by {@code cpu}. */
    static Result run(ArrivalSchedule schedule, Exchange exchange, CpuProbe cpu) throws InterruptedException {
        return run(schedule, INTERVAL, exchange, cpu);
    }

    /** As {@link #run(ArrivalSchedule, Exchange, CpuProbe)}, tallied by slices of {@code interval}. */
    static Result run(ArrivalSchedule schedule, Duration interval, Exchange exchange, CpuProbe cpu) throws InterruptedException {
        Tally tally = new Tally(schedule, interval, cpu);
        AtomicInteger inFlight = new AtomicInteger();
        long count = schedule.requestCount();
        long maxSendLagNanos = 0;
        long startNanos = System.nanoTime();
        try (ExecutorService requests = Executors.newVirtualThreadPerTaskExecutor()) {
            for (long n = 0; n < count; n++) {
                long intendedNanos = schedule.intendedSendNanos(startNanos, n);
                waitUntil(intendedNanos);
                maxSendLagNanos = Math.max(maxSendLagNanos, System.nanoTime() - intendedNanos);
                int slice = tally.slice(n);
                tally.sliceStarts(slice);
                if (inFlight.get() >= MAX_IN_FLIGHT) {
                    tally.notSent(slice);
                    continue;
                }
                inFlight.incrementAndGet();
                long request = n;
                requests.submit(() -> {
                    try {
                        Answer answer = exchange.send(request);
                        tally.answer(slice, answer, System.nanoTime() - intendedNanos);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } catch (RuntimeException e) {
                        tally.generatorFailed(slice, e);
                    } finally {
                        inFlight.decrementAndGet();
                    }
                });
            }
            tally.scheduleEnds();
        }
        return tally.result(schedule, count, startNanos, maxSendLagNanos);
    }

    /** Returns at {@code nanos} on {@link System#nanoTime()}'s clock. */
    static void waitUntil(long nanos) throws InterruptedException {
        for (long remaining = nanos - System.nanoTime(); remaining > 0; remaining = nanos - System.nanoTime()) {
            LockSupport.parkNanos(remaining);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    /** One {@link #INTERVAL}'s counts; two significant digits keep a long run's slices small. */
    private static final class Slice {

        private final Histogram latencyMicros = new Histogram(HIGHEST_TRACKABLE_MICROS, 2);
        private long created;
        private long shed;
        private long unanswered;
        private long otherErrors;
    }

    /** The counts of one run, written by every request's thread. */
    private static final class Tally {

        private final Histogram latencyMicros = new Histogram(HIGHEST_TRACKABLE_MICROS, 3);
        private final Map<String, Long> httpStatuses = new TreeMap<>();
        private final Map<String, Long> errors = new TreeMap<>();
        private final Map<String, Map<String, Long>> outcomes = new TreeMap<>();
        private final List<Slice> slices = new ArrayList<>();
        /** The counters at the start of each slice, then at the end of the schedule; written by the sending thread only. */
        private final Moment[] at;
        private final CpuProbe cpu;
        private final ArrivalSchedule schedule;
        private final long intervalNanos;
        private long answered;
        private long paymentsCreated;
        private long lastAnswerNanos;

        Tally(ArrivalSchedule schedule, Duration interval, CpuProbe cpu) {
            this.schedule = schedule;
            this.cpu = cpu;
            this.intervalNanos = interval.toNanos();
            long count = schedule.requestCount();
            int sliceCount = count == 0 ? 0 : slice(count - 1) + 1;
            for (int i = 0; i < sliceCount; i++) {
                slices.add(new Slice());
            }
            at = new Moment[sliceCount + 1];
        }

        /** The first request of {@code slice} is being sent: the counters are read once per slice. */
        void sliceStarts(int slice) {
            if (at[slice] == null) {
                at[slice] = Moment.read(cpu);
            }
        }

        void scheduleEnds() {
            at[at.length - 1] = Moment.read(cpu);
        }

        /** The slice request {@code n}'s intended send time falls in. */
        int slice(long n) {
            return (int) (schedule.offsetNanos(n) / intervalNanos);
        }

        synchronized void answer(int slice, Answer answer, long latencyNanos) {
            lastAnswerNanos = Math.max(lastAnswerNanos, System.nanoTime());
            long micros = Math.min(HIGHEST_TRACKABLE_MICROS, Math.max(0, latencyNanos / 1_000));
            latencyMicros.recordValue(micros);
            Slice counts = slices.get(slice);
            counts.latencyMicros.recordValue(micros);
            String status = answer.httpStatus() == NO_ANSWER ? "no answer" : Integer.toString(answer.httpStatus());
            String outcome = answer.paymentStatus() == null ? status : status + " " + answer.paymentStatus();
            httpStatuses.merge(status, 1L, Long::sum);
            outcomes.computeIfAbsent(answer.kind().wire(), kind -> new TreeMap<>()).merge(outcome, 1L, Long::sum);
            if (answer.httpStatus() != NO_ANSWER) {
                answered++;
            }
            if (answer.httpStatus() == 201) {
                paymentsCreated++;
                counts.created++;
            }
            if (!answer.kind().isExpected(answer.httpStatus(), answer.paymentStatus())) {
                errors.merge(answer.kind().wire() + " card: " + outcome, 1L, Long::sum);
                switch (answer.httpStatus()) {
                    case 503 -> counts.shed++;
                    case NO_ANSWER -> counts.unanswered++;
                    default -> counts.otherErrors++;
                }
            }
        }

        /** A request the load generator itself failed to make: counted, so no request goes missing from the figures. */
        synchronized void generatorFailed(int slice, RuntimeException e) {
            httpStatuses.merge("not sent", 1L, Long::sum);
            errors.merge("not sent: the load generator failed (" + e.getClass().getSimpleName() + ")", 1L, Long::sum);
            slices.get(slice).otherErrors++;
        }

        synchronized void notSent(int slice) {
            httpStatuses.merge("not sent", 1L, Long::sum);
            errors.merge("not sent: " + MAX_IN_FLIGHT + " requests already in flight", 1L, Long::sum);
            slices.get(slice).otherErrors++;
        }

        synchronized Result result(ArrivalSchedule schedule, long scheduled, long startNanos, long maxSendLagNanos) {
            long windowNanos = Math.max(schedule.duration().toNanos(),
                    (lastAnswerNanos == 0 ? System.nanoTime() : lastAnswerNanos) - startNanos);
            return new Result(schedule.ratePerSecond(), scheduled, answered, windowNanos, latencyMicros.copy(), new TreeMap<>(httpStatuses),
                    new TreeMap<>(errors), outcomesCopy(), paymentsCreated, maxSendLagNanos, intervals());
        }

        private List<Interval> intervals() {
            List<Interval> intervals = new ArrayList<>();
            long n = 0;
            for (int i = 0; i < slices.size(); i++) {
                long due = 0;
                while (n < schedule.requestCount() && slice(n) == i) {
                    due++;
                    n++;
                }
                Slice counts = slices.get(i);
                intervals.add(new Interval(i * intervalNanos / 1e9,
                        Math.min(schedule.duration().toNanos(), (i + 1) * intervalNanos) / 1e9, due, counts.created,
                        counts.shed, counts.unanswered, counts.otherErrors, millis(counts.latencyMicros, 50),
                        millis(counts.latencyMicros, 99), Pressure.between(at[i].pressure(), at[i + 1].pressure()),
                        Moment.cpuPercentOfCore(at[i], at[i + 1])));
            }
            return List.copyOf(intervals);
        }

        private static double millis(Histogram micros, double percentile) {
            return micros.getTotalCount() == 0 ? 0 : micros.getValueAtPercentile(percentile) / 1000.0;
        }

        private Map<String, Map<String, Long>> outcomesCopy() {
            Map<String, Map<String, Long>> copy = new TreeMap<>();
            outcomes.forEach((kind, counts) -> copy.put(kind, new TreeMap<>(counts)));
            return copy;
        }
    }

    /**
     * What the slices are told apart by, read at one moment: the kernel's pressure counters and each process's CPU
     * so far.
     */
    record Moment(long nanoTime, Pressure.Snapshot pressure, Map<String, Double> cpuMillis) {

        static Moment read(CpuProbe cpu) {
            return new Moment(System.nanoTime(), Pressure.read(), cpu.cpuMillis());
        }

        /**
         * Each process's CPU between the two moments as a percentage of one core, for the processes read at both;
         * a process restarted in between (less CPU at the end) counts 0.
         */
        static Map<String, Double> cpuPercentOfCore(Moment from, Moment to) {
            Map<String, Double> percent = new TreeMap<>();
            long wallNanos = to.nanoTime() - from.nanoTime();
            if (wallNanos <= 0) {
                return percent;
            }
            from.cpuMillis().forEach((name, start) -> {
                Double end = to.cpuMillis().get(name);
                if (end != null) {
                    percent.put(name, ProcessCpu.percentOfCore(Math.max(0, end - start), wallNanos));
                }
            });
            return percent;
        }
    }
}
