package dev.nightjar.platform.bench;

import dev.nightjar.common.shard.ShardRouter;
import dev.nightjar.contracts.json.Json;
import dev.nightjar.platform.MerchantApi;
import dev.nightjar.platform.Platform;
import dev.nightjar.platform.TestCards;
import dev.nightjar.platform.bench.CardMix.Card;
import dev.nightjar.platform.observe.PrometheusApi;
import dev.nightjar.platform.postgres.DatabaseCluster;
import dev.nightjar.platform.postgres.DatabaseNode;
import dev.nightjar.platform.process.PidFile;
import dev.nightjar.platform.process.Poll;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code ./nightjar bench --rate R | --ramp FROM:TO:STEP}: payments at a fixed arrival rate against the
 * running local platform, from several new merchants (both shards) with a card mix, each request on a
 * virtual thread of its own at its intended time. Prints, per rate, the throughput achieved, the answers,
 * latency percentiles from the intended send time, and the CPU each process of the platform spent per
 * payment; for a ramp, the highest rate held. Optionally writes it all as JSON.
 */
public final class OpenLoopBenchmark {

    /**
     * Four merchants, two on each shard, so that both shards take half the traffic in every run: with merchants as
     * they come, one run put three on one shard and the next two, and the shards' figures moved between runs with
     * the split. Merchants are made until each shard has its two, at most sixteen; one left over is not used.
     */
    static final int MERCHANTS = 4;
    private static final int MAX_MERCHANTS = 16;
    static final int SHARDS = 2;

    private final Platform platform;
    private final PrintStream out;

    public OpenLoopBenchmark(Platform platform, PrintStream out) {
        this.platform = platform;
        this.out = out;
    }

    /** A second gateway to send every other payment to, for measuring it beside the first (docs/tools/bench-twin.sh). */
    static final String GATEWAY_TWIN = "NIGHTJAR_BENCH_GATEWAY_TWIN";

    /** Runs the benchmark; 0 when payments were made, 1 when none was (the platform is not up). */
    public int run(OpenLoopOptions options) throws IOException, InterruptedException {
        if (options.atRest()) {
            return atRest(options);
        }
        String runId = Long.toString(System.currentTimeMillis(), 36);
        Instant startedAt = Instant.now();
        HttpClient client = MerchantApi.client(platform);
        CardMix mix = CardMix.of(TestCards.of(platform));
        List<MerchantApi> merchants = merchants(client, runId);
        String gatewayTwin = System.getenv(GATEWAY_TWIN);
        List<MerchantApi> targets = targets(merchants, gatewayTwin);
        ProcessCpu.ClockTicks clockTicks = ProcessCpu.clockTicks();
        long ticksPerSecond = clockTicks.perSecond();
        String ticksSource = clockTicks.source();
        List<ProcessCpu.Component> components = components();
        int cores = Runtime.getRuntime().availableProcessors();

        out.printf("open loop: %s payments/s for %d s each%s%s, %d merchants (%s)%n", rates(options), options.measured().toSeconds(),
                options.ramp() ? " (a ramp)" : "", options.repeat() > 1 ? ", " + options.repeat() + " times over" : "",
                merchants.size(), shards(merchants));
        out.println("card mix: " + mix.sharesPercent().entrySet().stream()
                .map(share -> share.getKey() + " " + Math.round(share.getValue()) + "%").collect(Collectors.joining(", ")));
        out.println("expected answers (anything else is an error): " + mix.expectedAnswers().entrySet().stream()
                .map(kind -> kind.getKey() + " " + kind.getValue()).collect(Collectors.joining(", ")));
        out.printf("CPU: %d ticks per second (%s), %d cores; processes: %s%n", ticksPerSecond, ticksSource, cores,
                components.stream().map(ProcessCpu.Component::name).collect(Collectors.joining(", ")));
        if (targets != merchants) {
            out.printf("a second gateway (%s): %s, every other payment of each merchant%n", GATEWAY_TWIN, gatewayTwin);
        }
        MachineSpeed.Result machine = machineSpeed();

        if (!options.warmup().isZero()) {
            double rate = options.ratesPerSecond().get(0);
            out.printf("warming up: %d s at %s/s (not measured)...%n", options.warmup().toSeconds(), number(rate));
            OpenLoop.Result warmup = OpenLoop.run(new ArrivalSchedule(rate, options.warmup()),
                    n -> pay(client, targets, mix, runId + "-warmup", n));
            out.printf("  warm-up: %d answered, p99 %.1f ms, errors %s%n", warmup.answered(), warmup.percentileMillis(99),
                    warmup.errors().isEmpty() ? "none" : warmup.errors());
        }

        List<OpenLoopReport.Step> steps = new ArrayList<>();
        List<RampPlan.StepVerdict> verdicts = new ArrayList<>();
        PrometheusApi prometheus = new PrometheusApi(platform.prometheus().url());
        List<Double> windows = options.windows();
        for (int window = 0; window < windows.size(); window++) {
            double rate = windows.get(window);
            Optional<DatabaseWork.Snapshot> databaseStart = settledDatabaseWork();
            String phase = runId + "-" + number(rate) + (window == 0 ? "" : "-" + window);
            long leadInEnds = System.nanoTime() + options.leadIn().toNanos();
            FutureTask<OpenLoop.Result> leadIn = null;
            if (!options.leadIn().isZero()) {
                out.printf("lead-in: %d s at %s/s, running on into the window (not measured)...%n",
                        options.leadIn().toSeconds(), number(rate));
                leadIn = new FutureTask<>(() -> OpenLoop.run(new ArrivalSchedule(rate, options.leadIn()),
                        n -> pay(client, targets, mix, phase + "-lead-in", n)));
                Thread.ofVirtual().name("bench-lead-in").start(leadIn);
                OpenLoop.waitUntil(leadInEnds);
            }
            out.printf("measuring: %s%s payments/s for %d s...%n", windows.size() > 1 ? "window " + (window + 1) + " of "
                    + windows.size() + ", " : "", number(rate), options.measured().toSeconds());
            ProcessCpu.Snapshot start = ProcessCpu.take();
            ThreadCpu.Snapshot threadsStart = ThreadCpu.take(components);
            OptionalDouble age = ProcessCpu.platformAgeSeconds(start, components, ticksPerSecond, ProcessCpu.uptimeSeconds());
            Optional<CompileTime> compileStart = CompileTime.read(prometheus);
            Instant windowStart = Instant.now();
            double gapMillis = (System.nanoTime() - leadInEnds) / 1e6;
            OpenLoop.Result result = OpenLoop.run(new ArrivalSchedule(rate, options.measured()),
                    n -> pay(client, targets, mix, phase, n), () -> ProcessCpu.platformMillisNow(components, ticksPerSecond));
            Instant windowEnd = Instant.now();
            ProcessCpu.Snapshot end = ProcessCpu.take();
            ThreadCpu.Snapshot threadsEnd = ThreadCpu.take(components);
            GcPauses.Window pauses = pauses(windowStart, windowEnd);
            Optional<CompileTime> compileEnd = CompileTime.read(prometheus);
            ProcessCpu.Table cpu = ProcessCpu.between(start, end, components, result.paymentsCreated(), ticksPerSecond);
            Map<String, Double> compiled = compileStart.isPresent() && compileEnd.isPresent()
                    ? CompileTime.secondsBetween(compileStart.get(), compileEnd.get()) : null;
            OpenLoop.Result lead = leadIn == null ? null : Poll.await(leadIn);
            OpenLoopReport.LeadIn leadInFigures = lead == null ? null : OpenLoopReport.LeadIn.of(lead, gapMillis);
            Optional<DatabaseWork.Snapshot> databaseEnd = databaseStart.isPresent() ? settledDatabaseWork() : Optional.empty();
            // the counters ran from before the lead-in: its payments and their work are in them too
            DatabaseWork.Table database = databaseStart.isPresent() && databaseEnd.isPresent()
                    ? DatabaseWork.between(databaseStart.get(), databaseEnd.get(),
                            result.paymentsCreated() + (lead == null ? 0 : lead.paymentsCreated()), ticksPerSecond)
                    : DatabaseWork.Table.unavailable(DATABASE_WORK_UNAVAILABLE);
            List<ThreadCpu.Row> threads = ThreadCpu.busiest(threadsStart, threadsEnd, result.paymentsCreated(), ticksPerSecond,
                    ThreadCpu.BUSIEST);
            print(result, cpu, cores, pauses);
            if (leadInFigures != null) {
                out.printf("  lead-in          %d s at the same rate, not judged: %d answered, p99 %.1f ms, errors %s;"
                                + " the window's first request was due %.0f ms after the lead-in's last%n",
                        options.leadIn().toSeconds(), leadInFigures.answered(), leadInFigures.p99Millis(),
                        lead.errors().isEmpty() ? "none" : lead.errors(), 1000 / rate + leadInFigures.gapMillis());
            }
            printThreads(threads, "CPU ms/payment", row -> String.format("%14.2f", row.millisPerPayment()));
            print(pauses);
            print(compiled, age);
            print(database, lead != null);
            steps.add(OpenLoopReport.Step.of(result, age.isPresent() ? age.getAsDouble() : null, cpu, threads, pauses,
                    compiled, database, leadInFigures));
            verdicts.add(OpenLoopReport.verdict(result));
        }
        if (windows.size() > 1) {
            printWindows(steps);
        }

        Double highestHeld = null;
        List<Double> failedBelow = null;
        if (options.ramp()) {
            highestHeld = RampPlan.highestRateHeld(verdicts).orElse(null);
            failedBelow = RampPlan.failedBelowHighestHeld(verdicts);
            printRamp(steps, highestHeld, failedBelow);
        }
        PostgresBound.Result bound = bound(options);
        Double share = null;
        if (bound.writeSetsPerSecond() != null) {
            double best = steps.stream().mapToDouble(OpenLoopReport.Step::achievedPerSecond).max().orElse(0);
            share = OpenLoopReport.rounded(best / bound.writeSetsPerSecond());
            out.printf("PostgreSQL bound (pgbench on the same server, %d clients, %d s, one transaction of a payment row and"
                            + " its outbox row, synchronous commit): %.0f write sets/s; the best step's %.1f payments/s is %.2f %% of it%n",
                    bound.clients(), bound.seconds(), bound.writeSetsPerSecond(), best, 100 * best / bound.writeSetsPerSecond());
        } else if (!options.bound().isZero()) {
            out.println("PostgreSQL bound: " + bound.note());
        }
        if (options.jsonFile().isPresent()) {
            Path file = options.jsonFile().get();
            Repository repository = repository();
            new OpenLoopReport("payments, open loop", startedAt.toString(), repository.commit(), repository.changed(),
                    new OpenLoopReport.Settings(options.ramp() ? "ramp" : "rate", options.ratesPerSecond(), options.repeat(),
                            options.measured().toSeconds(), options.warmup().toSeconds(), options.leadIn().toSeconds(),
                            merchants.size(),
                            OpenLoop.REQUEST_TIMEOUT.toSeconds(), OpenLoop.MAX_IN_FLIGHT, RampPlan.P99_LIMIT_MILLIS,
                            ticksPerSecond, ticksSource, cores),
                    roundedShares(mix), mix.expectedAnswers(), steps, highestHeld, failedBelow, bound, share, machine)
                    .write(file);
            out.println("wrote " + file);
        }
        boolean anyPayment = steps.stream().anyMatch(step -> step.paymentsCreated() > 0);
        if (!anyPayment) {
            out.println("no payment was created; is the platform up? (./nightjar status)");
        }
        return anyPayment ? 0 : 1;
    }

    /** Times the fixed piece of work ({@link MachineSpeed}) and prints it: how fast this machine is today. */
    private MachineSpeed.Result machineSpeed() {
        MachineSpeed.Result machine = MachineSpeed.measure();
        out.printf("machine: a fixed piece of work took %.1f ms of CPU (best of %d rounds, median %.1f): read CPU"
                + " figures against another day's with this in view%n", machine.bestMillis(), machine.rounds(),
                machine.medianMillis());
        return machine;
    }

    /**
     * {@code --rate 0}: sends nothing (no merchant is made either) and prints what each process and its busiest
     * threads spent over the window, per second, the services' pauses, and the databases' statements and commits
     * per second. What a platform costs with no payment coming in is part of every figure per payment at a low rate.
     */
    private int atRest(OpenLoopOptions options) throws IOException, InterruptedException {
        ProcessCpu.ClockTicks clockTicks = ProcessCpu.clockTicks();
        List<ProcessCpu.Component> components = components();
        int cores = Runtime.getRuntime().availableProcessors();
        out.printf("at rest: nothing sent for %d s%n", options.measured().toSeconds());
        out.printf("CPU: %d ticks per second (%s), %d cores; processes: %s%n", clockTicks.perSecond(), clockTicks.source(),
                cores, components.stream().map(ProcessCpu.Component::name).collect(Collectors.joining(", ")));
        machineSpeed();
        Optional<DatabaseWork.Snapshot> databaseStart = settledDatabaseWork();
        long databaseStartNanos = System.nanoTime();
        ProcessCpu.Snapshot start = ProcessCpu.take();
        ThreadCpu.Snapshot threadsStart = ThreadCpu.take(components);
        Instant windowStart = Instant.now();
        Thread.sleep(options.measured());
        Instant windowEnd = Instant.now();
        ProcessCpu.Snapshot end = ProcessCpu.take();
        ThreadCpu.Snapshot threadsEnd = ThreadCpu.take(components);
        GcPauses.Window pauses = pauses(windowStart, windowEnd);
        ProcessCpu.Table cpu = ProcessCpu.between(start, end, components, 0, clockTicks.perSecond());
        List<ThreadCpu.Row> threads = ThreadCpu.busiest(threadsStart, threadsEnd, 0, clockTicks.perSecond(), ThreadCpu.BUSIEST);
        Optional<DatabaseWork.Snapshot> databaseEnd = databaseStart.isPresent() ? settledDatabaseWork() : Optional.empty();
        double databaseSeconds = (System.nanoTime() - databaseStartNanos) / 1e9;

        out.printf("  CPU over %.1f s, nothing sent:%n", cpu.windowSeconds());
        printCpu(cpu, cores, "CPU ms/s", row -> String.format("%14.1f", row.cpuMillis() / cpu.windowSeconds()));
        // a thread's CPU per second of the window is its share of a core times ten (1 % of a core is 10 ms/s)
        printThreads(threads, "CPU ms/s", row -> String.format("%14.1f", row.percentOfCore() * 10));
        print(pauses);
        if (databaseStart.isPresent() && databaseEnd.isPresent()) {
            DatabaseWork.Rates rates = DatabaseWork.perSecond(databaseStart.get(), databaseEnd.get(), databaseSeconds);
            out.printf("  databases, per second over %.1f s: %.1f statements, %.1f commits%n", databaseSeconds,
                    rates.statementsPerSecond(), rates.commitsPerSecond());
        } else {
            out.println("  databases: " + DATABASE_WORK_UNAVAILABLE);
        }
        return 0;
    }

    /** The services' pauses from {@code start} to {@code end}, in the bench's slices; read after the CPU snapshots. */
    private GcPauses.Window pauses(Instant start, Instant end) {
        return GcPauses.window(GcPauses.read(platform.layout().gcLogs(), start, end), start,
                OpenLoop.INTERVAL.toMillis() / 1000.0);
    }

    private static final String DATABASE_WORK_UNAVAILABLE = "pg_stat_statements is not loaded in this server"
            + " (the platform's PostgreSQL preloads it from its next start; Patroni nodes do not)";

    /**
     * The databases' counters once the traffic before has settled ({@link DatabaseWork#SETTLE}); empty, without
     * waiting, when the server does not count statements.
     */
    private Optional<DatabaseWork.Snapshot> settledDatabaseWork() throws InterruptedException {
        if (DatabaseWork.take(platform.database()).isEmpty()) {
            return Optional.empty();
        }
        out.printf("  (waiting %d s for the databases' counters to settle)%n", DatabaseWork.SETTLE.toSeconds());
        Thread.sleep(DatabaseWork.SETTLE);
        return DatabaseWork.take(platform.database());
    }

    /** pgbench against the platform's own server, after the rates; only the single local server has one port to aim at. */
    private PostgresBound.Result bound(OpenLoopOptions options) {
        if (options.bound().isZero()) {
            return new PostgresBound.Result(null, PostgresBound.CLIENTS, 0, "skipped (--bound-seconds 0)");
        }
        if (platform.databaseMode() != dev.nightjar.platform.DatabaseMode.SINGLE) {
            return new PostgresBound.Result(null, PostgresBound.CLIENTS, options.bound().toSeconds(),
                    "measured against the single local server only (this platform runs Patroni clusters)");
        }
        out.printf("measuring the PostgreSQL bound: pgbench for %d s...%n", options.bound().toSeconds());
        return PostgresBound.measure(platform.database(), platform.layout().ports().postgres(),
                dev.nightjar.platform.Secrets.load(platform.layout().secretsFile()).get("postgres.superuser"), options.bound());
    }

    private void print(DatabaseWork.Table database, boolean withLeadIn) {
        if (database.note() != null) {
            out.println("  databases: " + database.note());
            return;
        }
        out.printf("  databases, per payment%s: %.1f statements (%.2f ms in them), %.1f commits, %.2f rollbacks,"
                        + " %.2f ms of their backends' CPU%n",
                withLeadIn ? " (of the lead-in's and the window's " + database.payments() + ")" : "",
                database.statementsPerPayment(), database.statementMillisPerPayment(), database.commitsPerPayment(),
                database.rollbacksPerPayment(), database.backendCpuMillisPerPayment());
        out.printf("    %-24s %12s %10s %10s %16s%n", "DATABASE", "statements", "commits", "rollbacks", "backend CPU ms");
        database.databases().forEach(row -> out.printf("    %-24s %12.2f %10.2f %10.2f %16.2f%n", row.database(),
                row.statementsPerPayment(), row.commitsPerPayment(), row.rollbacksPerPayment(),
                row.backendCpuMillisPerPayment()));
        out.printf("    %-24s %8s %9s  %s%n", "MOST RUN", "/payment", "mean ms", "statement");
        database.top().forEach(row -> out.printf("    %-24s %8.2f %9.3f  %s%n", row.database(), row.callsPerPayment(),
                row.meanMillis(), row.query()));
    }

    /** One payment: a merchant and a card from the mix by turn, its own Idempotency-Key, an amount in cents. */
    @SuppressWarnings("unchecked")
    static OpenLoop.Answer pay(HttpClient client, List<MerchantApi> merchants, CardMix mix, String phase, long n)
            throws InterruptedException {
        MerchantApi merchant = merchants.get((int) (n % merchants.size()));
        Card card = mix.card(n);
        long amountMinor = 500 + (n * 37) % 9_000;
        String body = """
                {"amount": %d, "currency": "EUR", "payment_method": {"type": "card",
                 "card": {"number": "%s", "exp_month": 12, "exp_year": 2030, "cvc": "123"}}}"""
                .formatted(amountMinor, card.number());
        HttpRequest request = merchant.request("/v1/payments", OpenLoop.REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", "bench-open-" + phase + "-" + n)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return new OpenLoop.Answer(card.kind(), OpenLoop.NO_ANSWER, null);
        }
        String paymentStatus = null;
        if (response.statusCode() == 201) {
            try {
                paymentStatus = (String) Json.MAPPER.readValue(response.body(), Map.class).get("status");
            } catch (RuntimeException e) {
                paymentStatus = "unreadable";
            }
        }
        return new OpenLoop.Answer(card.kind(), response.statusCode(), paymentStatus);
    }

    /**
     * The merchants the payments are sent as, by turn ({@link #pay}): {@code merchants}, or, when {@code twinUrl} names
     * a second gateway (docs/tools/bench-twin.sh), the merchants and then the same merchants at that gateway, so each
     * gateway takes every other round of one payment a merchant, half of every merchant's payments.
     */
    static List<MerchantApi> targets(List<MerchantApi> merchants, String twinUrl) {
        if (twinUrl == null || twinUrl.isBlank()) {
            return merchants;
        }
        List<MerchantApi> targets = new ArrayList<>(merchants);
        merchants.forEach(merchant -> targets.add(merchant.at(twinUrl)));
        return List.copyOf(targets);
    }

    /** New merchants for this run: {@link #MERCHANTS}, half on each shard ({@link #evenly}). */
    private List<MerchantApi> merchants(HttpClient client, String runId) throws IOException, InterruptedException {
        return newMerchants(platform, client, "Open-loop benchmark " + runId, MERCHANTS / SHARDS);
    }

    /**
     * {@code perShard} new merchants on each shard, named {@code name} and their number, made through the operator
     * API until every shard has its share or {@link #MAX_MERCHANTS} were made ({@link #evenly}).
     */
    static List<MerchantApi> newMerchants(Platform platform, HttpClient client, String name, int perShard)
            throws IOException, InterruptedException {
        ShardRouter router = new ShardRouter(SHARDS);
        return evenly(number -> MerchantApi.newMerchant(platform, client, name + " " + number),
                merchant -> router.shardOf(merchant.merchantId()), perShard, SHARDS, MAX_MERCHANTS);
    }

    /** Makes the {@code number}th merchant (from 1); may fail as the platform's API can. */
    interface Maker<T> {
        T make(int number) throws IOException, InterruptedException;
    }

    /**
     * {@code perShard} of what {@code maker} makes on each of {@code shards} shards, in the order made, making at
     * most {@code maxMade}; when that limit comes first, those chosen so far. Any made beyond a full shard's share
     * are left out.
     */
    static <T> List<T> evenly(Maker<T> maker, java.util.function.ToIntFunction<T> shardOf, int perShard, int shards,
                              int maxMade) throws IOException, InterruptedException {
        Map<Integer, List<T>> byShard = new TreeMap<>();
        List<T> chosen = new ArrayList<>();
        for (int made = 0; chosen.size() < perShard * shards && made < maxMade; made++) {
            T next = maker.make(made + 1);
            List<T> onShard = byShard.computeIfAbsent(shardOf.applyAsInt(next), shard -> new ArrayList<>());
            if (onShard.size() < perShard) {
                onShard.add(next);
                chosen.add(next);
            }
        }
        return chosen;
    }

    private static String shards(List<MerchantApi> merchants) {
        ShardRouter router = new ShardRouter(SHARDS);
        Map<Integer, Long> byShard = new TreeMap<>(merchants.stream()
                .collect(Collectors.groupingBy(merchant -> router.shardOf(merchant.merchantId()), Collectors.counting())));
        return byShard.entrySet().stream().map(shard -> "shard " + shard.getKey() + ": " + shard.getValue())
                .collect(Collectors.joining(", "));
    }

    /**
     * The processes whose CPU is measured: every pid file of {@code .nightjar/run} (services, Kafka, Zipkin,
     * Prometheus), each database node's postmaster (its backends below it) and Patroni process, etcd, and
     * this process, the load generator, which shares the machine.
     */
    List<ProcessCpu.Component> components() throws IOException {
        List<ProcessCpu.Component> components = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        try (Stream<Path> files = Files.list(platform.layout().run())) {
            for (Path file : files.filter(path -> path.getFileName().toString().endsWith(".pid")).sorted().toList()) {
                String name = file.getFileName().toString().replaceFirst("\\.pid$", "");
                new PidFile(file).live().ifPresent(process -> add(components, seen, name, process.pid(), true));
            }
        }
        for (DatabaseCluster cluster : platform.database().clusters()) {
            for (DatabaseNode node : cluster.nodes()) {
                node.postmaster().ifPresent(process -> add(components, seen,
                        node.patroni().isPresent() ? node.name() + " postgres" : node.name(), process.pid(), true));
                node.patroni().ifPresent(process -> add(components, seen, node.name() + " patroni", process.pid(), true));
            }
        }
        platform.database().etcd().flatMap(etcd -> etcd.process())
                .ifPresent(process -> add(components, seen, "etcd", process.pid(), true));
        add(components, seen, "load generator (this bench)", ProcessHandle.current().pid(), false);
        return components;
    }

    private static void add(List<ProcessCpu.Component> components, Set<Long> seen, String name, long pid, boolean platform) {
        if (seen.add(pid)) {
            components.add(new ProcessCpu.Component(name, pid, platform));
        }
    }

    private void print(OpenLoop.Result result, ProcessCpu.Table cpu, int cores, GcPauses.Window pauses) {
        out.printf("""
                rate %s/s: %d scheduled, %d answered in %.1f s: %.1f per second achieved; %d payments created
                  statuses       %s
                  errors         %s
                  outcomes       %s
                  latency (ms)   p50 %.1f   p90 %.1f   p99 %.1f   p99.9 %.1f   max %.1f   (from the intended send time)
                  load generator at most %.1f ms late in sending
                """, number(result.ratePerSecond()), result.scheduled(), result.answered(), result.windowNanos() / 1e9,
                result.achievedPerSecond(), result.paymentsCreated(), result.httpStatuses(),
                result.errors().isEmpty() ? "none" : result.errors(), result.outcomes(), result.percentileMillis(50),
                result.percentileMillis(90), result.percentileMillis(99), result.percentileMillis(99.9), result.maxMillis(),
                result.maxSendLagNanos() / 1e6);
        printIntervals(result.intervals(), cpu, pauses);
        out.printf("  CPU over %.1f s, %d payments:%n", cpu.windowSeconds(), cpu.payments());
        printCpu(cpu, cores, "CPU ms/payment", row -> String.format("%14.2f", row.millisPerPayment()));
    }

    /** The busiest groups of threads of the platform's processes in the window ({@link ThreadCpu}). */
    private void printThreads(List<ThreadCpu.Row> threads, String heading, Function<ThreadCpu.Row, String> figure) {
        if (threads.isEmpty()) {
            return;
        }
        out.printf("  busiest threads (each process's own threads alive at the window's end; digits in a name read as N):%n");
        out.printf("    %-22s %-16s %14s %12s%n", "PROCESS", "THREADS", heading, "% of a core");
        threads.forEach(row -> out.printf("    %-22s %-16s %s %12.1f%n", row.process(), row.thread(), figure.apply(row),
                row.percentOfCore()));
    }

    /** The services' stop-the-world pauses in the window ({@link GcPauses}): in all, by process, the full collections. */
    private void print(GcPauses.Window pauses) {
        if (pauses.count() == 0) {
            out.println("  GC: no pause of a service in the window (or no GC log to read)");
            return;
        }
        GcPauses.Pause longest = pauses.longest();
        out.printf("  GC: the services paused %d times for %.0f ms in all; the longest %.0f ms (%s, %s)%n", pauses.count(),
                pauses.totalMillis(), longest.millis(), longest.process(), longest.kind());
        out.println("    " + pauses.processes().stream().map(process -> String.format("%s %d, %.0f ms (longest %.0f)",
                process.process(), process.count(), process.totalMillis(), process.longestMillis()))
                .collect(Collectors.joining("; ")));
        pauses.full().forEach(full -> out.printf("    full collection: %s, %s, %.0f ms at %s%n", full.process(), full.kind(),
                full.millis(), full.at()));
    }

    /** The services' JIT compile time in the window, and how old the platform was when the window began. */
    private void print(Map<String, Double> compiled, OptionalDouble age) {
        String ageText = age.isPresent() ? String.format("the platform's youngest process had run %.0f s when the window began",
                age.getAsDouble()) : "the platform's age is unknown";
        if (compiled == null) {
            out.printf("  JIT: not read (Prometheus did not answer); %s%n", ageText);
            return;
        }
        out.printf("  JIT: the services compiled for %.1f s in the window (%s); %s%n", total(compiled),
                compiled.entrySet().stream().filter(service -> service.getValue() >= 0.05)
                        .map(service -> String.format("%s %.1f", service.getKey(), service.getValue()))
                        .collect(Collectors.joining(", ")), ageText);
    }

    private static double total(Map<String, Double> compiled) {
        return compiled.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** One line per window, when there were several: how the platform moved from one to the next. */
    private void printWindows(List<OpenLoopReport.Step> steps) {
        out.println("windows:");
        out.printf("  %4s %8s %7s %10s %8s %8s %7s %16s %7s%n", "#", "rate/s", "age s", "achieved/s", "p50 ms", "p99 ms",
                "errors", "CPU ms/payment", "JIT s");
        for (int index = 0; index < steps.size(); index++) {
            OpenLoopReport.Step step = steps.get(index);
            out.printf("  %4d %8s %7s %10.1f %8.1f %8.1f %7d %16.2f %7s%n", index + 1, number(step.ratePerSecond()),
                    step.platformAgeSeconds() == null ? "?" : String.format("%.0f", step.platformAgeSeconds()),
                    step.achievedPerSecond(), step.latencyMillis().p50(), step.latencyMillis().p99(), step.errorCount(),
                    step.cpu().platformTotal().millisPerPayment(),
                    step.compileSeconds() == null ? "?" : String.format("%.1f", total(step.compileSeconds())));
        }
        out.println("  (age: how long the platform's youngest process had run when the window began; CPU: the platform's"
                + " processes per payment created; JIT: the services' compile time in the window)");
    }

    /**
     * The run by slices of intended send time, when it has more than one: where a cold start or a fault shows, how
     * short of CPU or I/O the machine was in each slice, and which process spent the most above its own share of
     * the whole window ({@code cpu}), in percentage points of a core.
     */
    private void printIntervals(List<OpenLoop.Interval> intervals, ProcessCpu.Table cpu, GcPauses.Window pauses) {
        if (intervals.size() < 2) {
            return;
        }
        Map<String, Double> windowPercent = new HashMap<>();
        cpu.processes().stream().filter(row -> row.note() == null)
                .forEach(row -> windowPercent.put(row.process(), row.percentOfCore()));
        out.printf("  by intended send time (waiting: %% of the slice some task waited for a CPU, for I/O, and every busy task"
                + " for I/O; /proc/pressure; platform: its processes' CPU in %% of a core, and the process most above its"
                + " share of the window; the longest stop-the-world pause of a service that ended in the slice):%n"
                + "    %-10s %9s %8s %6s %10s %7s %9s %9s %8s %8s %8s %9s  %-24s  %s%n", "seconds", "scheduled",
                "created", "503", "no answer", "other", "p50 ms", "p99 ms", "cpu %", "io %", "io all %", "platform",
                "most above its share", "longest pause");
        for (OpenLoop.Interval interval : intervals) {
            Pressure.Shares pressure = interval.pressure();
            out.printf("    %-10s %9d %8d %6d %10d %7d %9.1f %9.1f %s %9s  %-24s  %s%n",
                    number(interval.fromSecond()) + "-" + number(interval.toSecond()), interval.scheduled(), interval.created(),
                    interval.shed(), interval.unanswered(), interval.otherErrors(), interval.p50Millis(), interval.p99Millis(),
                    pressure == null ? String.format("%8s %8s %8s", "-", "-", "-") : String.format("%8.1f %8.1f %8.1f",
                            pressure.cpuSomePercent(), pressure.ioSomePercent(), pressure.ioFullPercent()),
                    interval.cpuPercentOfCore().isEmpty() ? "-" : String.format("%.0f", interval.totalCpuPercentOfCore()),
                    interval.mostAbove(windowPercent).map(most -> String.format("%s +%.0f", most.getKey(), most.getValue()))
                            .orElse("-"),
                    pauses.longestIn(interval.fromSecond()).map(pause -> String.format("%.0f ms %s%s", pause.millis(),
                            pause.process(), pause.full() ? " (full)" : "")).orElse("-"));
        }
    }

    /** The CPU table, one row per process then the totals; {@code figure} formats a row's first column. */
    private void printCpu(ProcessCpu.Table cpu, int cores, String heading, Function<ProcessCpu.Row, String> figure) {
        out.printf("    %-32s %14s %12s%n", "PROCESS", heading, "% of a core");
        cpu.processes().forEach(row -> printRow(row, figure));
        printRow(cpu.platformTotal(), figure);
        // indented: a part of the platform's row, without the simulators, Zipkin and Prometheus
        printRow(new ProcessCpu.Row("  " + cpu.nightjar().process(), cpu.nightjar().cpuMillis(),
                cpu.nightjar().millisPerPayment(), cpu.nightjar().percentOfCore(), null), figure);
        if (cpu.loadGenerator() != null) {
            printRow(cpu.loadGenerator(), figure);
        }
        printRow(cpu.restOfMachine(), figure);
        printRow(new ProcessCpu.Row(cpu.wholeMachine().process() + " (" + cores + " cores)", cpu.wholeMachine().cpuMillis(),
                cpu.wholeMachine().millisPerPayment(), cpu.wholeMachine().percentOfCore(), null), figure);
        printRow(cpu.takenByHost(), figure);
    }

    private void printRow(ProcessCpu.Row row, Function<ProcessCpu.Row, String> figure) {
        if (row.note() != null) {
            out.printf("    %-32s %s%n", row.process(), row.note());
        } else {
            out.printf("    %-32s %s %12.1f%n", row.process(), figure.apply(row), row.percentOfCore());
        }
    }

    private void printRow(RampRow row) {
        out.printf("  %10s %10s %10s %8s  %s%n", row.rate(), row.achieved(), row.p99(), row.errors(), row.held());
    }

    private record RampRow(String rate, String achieved, String p99, String errors, String held) {
    }

    private void printRamp(List<OpenLoopReport.Step> steps, Double highestHeld, List<Double> failedBelow) {
        out.println("ramp:");
        printRow(new RampRow("rate/s", "achieved/s", "p99 ms", "errors", "held"));
        for (OpenLoopReport.Step step : steps) {
            printRow(new RampRow(number(step.ratePerSecond()), String.format("%.1f", step.achievedPerSecond()),
                    String.format("%.1f", step.latencyMillis().p99()), Long.toString(step.errorCount()),
                    step.held() ? "yes" : "no"));
        }
        out.printf("highest rate held (p99 under %.0f ms, no errors): %s%n", RampPlan.P99_LIMIT_MILLIS,
                highestHeld == null ? "none" : number(highestHeld) + " payments/s");
        if (!failedBelow.isEmpty()) {
            out.println("  but lower rates failed (" + failedBelow.stream().map(OpenLoopBenchmark::number)
                    .collect(Collectors.joining(", ")) + "/s): the run-to-run spread is wider than the step; run it again");
        }
    }

    private static Map<String, Double> roundedShares(CardMix mix) {
        Map<String, Double> shares = new java.util.LinkedHashMap<>();
        mix.sharesPercent().forEach((card, share) -> shares.put(card, OpenLoopReport.rounded(share)));
        return shares;
    }

    private static String rates(OpenLoopOptions options) {
        return options.ratesPerSecond().stream().map(OpenLoopBenchmark::number).collect(Collectors.joining(", "));
    }

    /** A rate as typed: 20 rather than 20.0, 2.5 as it is. */
    static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    /** The commit the run was made on, and whether tracked files had changed since. */
    private record Repository(String commit, Boolean changed) {
    }

    private Repository repository() {
        String commit = git("rev-parse", "HEAD");
        String changes = git("status", "--porcelain", "--untracked-files=no");
        return new Repository(commit, changes == null ? null : !changes.isBlank());
    }

    private String git(String... arguments) {
        List<String> command = new ArrayList<>(List.of("git", "-C", platform.layout().repository().toString()));
        command.addAll(List.of(arguments));
        try {
            Process git = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String output = new String(git.getInputStream().readAllBytes()).trim();
            return git.waitFor(10, TimeUnit.SECONDS) && git.exitValue() == 0 ? output : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
