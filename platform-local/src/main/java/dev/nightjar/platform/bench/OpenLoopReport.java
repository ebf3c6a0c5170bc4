package dev.nightjar.platform.bench;

import dev.nightjar.contracts.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code ./nightjar bench --rate/--ramp --json FILE} writes: one JSON object (snake_case, as all of
 * Nightjar's JSON) to compare one commit's run with another's. Cards appear by kind and brand only.
 *
 * @param commit                   the repository's HEAD when it ran, null when git could not tell
 * @param workingTreeChanged       whether tracked files differed from HEAD (then the commit is not the whole story)
 * @param highestRateHeldPerSecond for a ramp, the highest rate held (p99 under the limit, no error); null otherwise or when none held
 * @param failedBelowHighestHeld   for a ramp, rates that failed below the highest held: a sign of noise, run it again
 * @param postgresBound            pgbench's minimal durable write sets per second on the same server, after the rates
 * @param achievedShareOfBound     the best step's payments per second over that bound; null without a bound
 * @param machineWork              the CPU time of a fixed piece of work before the run ({@link MachineSpeed}): how fast
 *                                 the machine was that day
 */
record OpenLoopReport(String benchmark, String startedAt, String commit, Boolean workingTreeChanged, Settings settings,
                      Map<String, Double> mixPercent, Map<String, String> expectedAnswers, List<Step> steps,
                      Double highestRateHeldPerSecond, List<Double> failedBelowHighestHeld, PostgresBound.Result postgresBound,
                      Double achievedShareOfBound, MachineSpeed.Result machineWork) {

    /**
     * How the run was made.
     *
     * @param clockTicksSource {@code getconf CLK_TCK}, or {@code assumed} when it could not be asked
     */
    record Settings(String mode, List<Double> ratesPerSecond, int repeat, long secondsPerRate, long warmupSeconds,
                    long leadInSeconds, int merchants,
                    long requestTimeoutSeconds, int maxInFlight, double p99LimitMillis, long clockTicksPerSecond,
                    String clockTicksSource, int cores) {
    }

    /** Latency percentiles in milliseconds, from each request's intended send time to its answer. */
    record Latency(double p50, double p90, double p99, double p99_9, double max) {
    }

    /**
     * One window's figures; see {@link OpenLoop.Result} and {@link ProcessCpu.Table}.
     *
     * @param platformAgeSeconds how long the platform's youngest process had run when the window began; null if unknown
     * @param busiestThreads     the busiest groups of threads of the platform's processes ({@link ThreadCpu})
     * @param gcPauses           the services' stop-the-world pauses in the window ({@link GcPauses})
     * @param compileSeconds     each service's JIT compile time in the window ({@link CompileTime}); null without Prometheus
     */
    record Step(double ratePerSecond, Double platformAgeSeconds, long scheduled, long answered, double windowSeconds,
                double achievedPerSecond, long paymentsCreated, Latency latencyMillis, Map<String, Long> httpStatuses,
                long errorCount, Map<String, Long> errors, Map<String, Map<String, Long>> outcomes, boolean held,
                double maxSendLagMillis, List<OpenLoop.Interval> intervals, ProcessCpu.Table cpu,
                List<ThreadCpu.Row> busiestThreads, GcPauses.Window gcPauses, Map<String, Double> compileSeconds,
                DatabaseWork.Table database, LeadIn leadIn) {

        static Step of(OpenLoop.Result result, Double platformAgeSeconds, ProcessCpu.Table cpu, List<ThreadCpu.Row> threads,
                       GcPauses.Window pauses, Map<String, Double> compileSeconds, DatabaseWork.Table database,
                       LeadIn leadIn) {
            return new Step(result.ratePerSecond(), platformAgeSeconds == null ? null : (double) Math.round(platformAgeSeconds),
                    result.scheduled(), result.answered(), rounded(result.windowNanos() / 1e9),
                    rounded(result.achievedPerSecond()), result.paymentsCreated(),
                    new Latency(rounded(result.percentileMillis(50)), rounded(result.percentileMillis(90)),
                            rounded(result.percentileMillis(99)), rounded(result.percentileMillis(99.9)),
                            rounded(result.maxMillis())),
                    result.httpStatuses(), result.errorCount(), result.errors(), result.outcomes(),
                    verdict(result).held(), rounded(result.maxSendLagNanos() / 1e6),
                    result.intervals().stream().map(OpenLoopReport::rounded).toList(), rounded(cpu),
                    threads.stream().map(row -> new ThreadCpu.Row(row.process(), row.thread(), rounded(row.millisPerPayment()),
                            rounded(row.percentOfCore()))).toList(), rounded(pauses),
                    compileSeconds == null ? null : rounded(compileSeconds), rounded(database), leadIn);
        }
    }

    /**
     * The unmeasured run at the window's rate just before it ({@code --lead-in}); its payments count in the window's
     * database figures, which read the counters from before it.
     *
     * @param gapMillis how much later than the lead-in's schedule ended the window's schedule began: the CPU
     *                  snapshots in between
     */
    record LeadIn(double seconds, long answered, long paymentsCreated, long errorCount, double p99Millis, double gapMillis) {

        static LeadIn of(OpenLoop.Result result, double gapMillis) {
            return new LeadIn(rounded(result.scheduled() / result.ratePerSecond()), result.answered(), result.paymentsCreated(),
                    result.errorCount(), rounded(result.percentileMillis(99)), rounded(gapMillis));
        }
    }

    /** The step as the ramp's rule sees it. */
    static RampPlan.StepVerdict verdict(OpenLoop.Result result) {
        return new RampPlan.StepVerdict(result.ratePerSecond(), result.percentileMillis(99), result.errorCount());
    }

    String json() {
        return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(this);
    }

    void write(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, json() + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + file, e);
        }
    }

    /** Two decimals: the figures' noise is far above that, and the file stays readable. */
    static double rounded(double value) {
        return Math.round(value * 100) / 100.0;
    }

    private static Map<String, Double> rounded(Map<String, Double> seconds) {
        Map<String, Double> rounded = new TreeMap<>();
        seconds.forEach((name, value) -> rounded.put(name, rounded(value)));
        return rounded;
    }

    private static ProcessCpu.Table rounded(ProcessCpu.Table table) {
        return new ProcessCpu.Table(rounded(table.windowSeconds()), table.payments(), table.ticksPerSecond(),
                table.processes().stream().map(OpenLoopReport::rounded).toList(), rounded(table.platformTotal()),
                rounded(table.nightjar()), table.loadGenerator() == null ? null : rounded(table.loadGenerator()), rounded(table.restOfMachine()),
                rounded(table.wholeMachine()), rounded(table.takenByHost()));
    }

    private static DatabaseWork.Table rounded(DatabaseWork.Table table) {
        return new DatabaseWork.Table(table.payments(), rounded(table.statementsPerPayment()), rounded(table.commitsPerPayment()),
                rounded(table.rollbacksPerPayment()), rounded(table.statementMillisPerPayment()),
                rounded(table.backendCpuMillisPerPayment()),
                table.databases().stream().map(row -> new DatabaseWork.DatabaseRow(row.database(),
                        rounded(row.statementsPerPayment()), rounded(row.commitsPerPayment()), rounded(row.rollbacksPerPayment()),
                        rounded(row.backendCpuMillisPerPayment())))
                        .toList(),
                table.top().stream().map(row -> new DatabaseWork.StatementRow(row.database(), row.query(),
                        rounded(row.callsPerPayment()), Math.round(row.meanMillis() * 1000) / 1000.0)).toList(),
                table.note());
    }

    private static GcPauses.Window rounded(GcPauses.Window pauses) {
        return new GcPauses.Window(pauses.count(), rounded(pauses.totalMillis()),
                pauses.longest() == null ? null : rounded(pauses.longest()),
                pauses.processes().stream().map(process -> new GcPauses.ProcessPauses(process.process(), process.count(),
                        rounded(process.totalMillis()), rounded(process.longestMillis()))).toList(),
                pauses.full().stream().map(OpenLoopReport::rounded).toList(),
                pauses.slices().stream().map(slice -> new GcPauses.SliceLongest(slice.fromSecond(), slice.toSecond(),
                        rounded(slice.pause()))).toList());
    }

    private static GcPauses.Pause rounded(GcPauses.Pause pause) {
        return new GcPauses.Pause(pause.process(), pause.at(), pause.kind(), rounded(pause.millis()));
    }

    private static OpenLoop.Interval rounded(OpenLoop.Interval interval) {
        return new OpenLoop.Interval(interval.fromSecond(), interval.toSecond(), interval.scheduled(), interval.created(),
                interval.shed(), interval.unanswered(), interval.otherErrors(), rounded(interval.p50Millis()),
                rounded(interval.p99Millis()), rounded(interval.pressure()), rounded(interval.cpuPercentOfCore()));
    }

    private static Pressure.Shares rounded(Pressure.Shares shares) {
        return shares == null ? null : new Pressure.Shares(rounded(shares.cpuSomePercent()), rounded(shares.ioSomePercent()),
                rounded(shares.ioFullPercent()));
    }

    private static ProcessCpu.Row rounded(ProcessCpu.Row row) {
        return new ProcessCpu.Row(row.process(), rounded(row.cpuMillis()), rounded(row.millisPerPayment()),
                rounded(row.percentOfCore()), row.note());
    }
}
