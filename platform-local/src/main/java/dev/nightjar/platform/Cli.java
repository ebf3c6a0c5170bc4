package dev.nightjar.platform;

import java.time.Duration;
import dev.nightjar.platform.observe.ObserveCheck;
import dev.nightjar.platform.observe.PaymentTraces;
import java.io.PrintStream;
import dev.nightjar.platform.bench.BenchComparison;
import dev.nightjar.platform.bench.OpenLoopBenchmark;
import dev.nightjar.platform.bench.OpenLoopOptions;
import dev.nightjar.platform.bench.PaymentBenchmark;
import dev.nightjar.platform.bench.PaymentPathWarmUp;
import dev.nightjar.platform.bench.ResilienceScenario;
import dev.nightjar.platform.bench.VaultBenchmark;
import dev.nightjar.platform.chaos.Chaos;
import dev.nightjar.platform.chaos.ChaosOptions;
import dev.nightjar.platform.incident.IncidentTimeline;
import dev.nightjar.platform.process.StateLock;
import dev.nightjar.platform.seed.HistorySeeder;
import dev.nightjar.platform.seed.SeedOptions;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** {@code ./nightjar}: the operator's command line for the local platform. */
public final class Cli {

    private static final String USAGE = """
            Usage: ./nightjar <command>

              up [--ha]              build what is missing, start everything, wait until healthy, seed a demo merchant,
                                     then, when it started a service, pay for 30 s through two warm-up merchants so
                                     the first payments do not wait for the JIT (NIGHTJAR_WARM_UP_SECONDS: 0 to 600);
                                     --ha: PostgreSQL on Patroni clusters of three nodes with etcd (docs/database.md),
                                     remembered for the state directory (a later plain up keeps it)
              down                   stop every process the platform started; the data stays for the next up
              status                 every component with its pid, port, role (database nodes) and health
              restart SERVICE        stop one service (gateway-service, vault-service, ..., acquirer-a) and start it
                                     again on the jar built now (./mvnw package -pl MODULE -am); the rest keep running
              merchant create NAME   create a merchant; prints its credentials as JSON
              bench [CONCURRENCY] [SECONDS] [CARD]
                                     pay with a test card as fast as CONCURRENCY clients can (default 32 for
                                     30 s) against the running platform; prints throughput and latency
              bench --rate R | --ramp FROM:TO:STEP [--seconds S] [--warmup S] [--lead-in S] [--json FILE]
                                     open loop: R payments per second (default 30 s after a 10 s warm-up, each
                                     window run on from a 10 s lead-in at its rate), four
                                     new merchants, a card mix; latency from each intended send time, statuses,
                                     CPU per payment of every process; --ramp: each rate in turn and the highest
                                     held (p99 under 200 ms, no errors); --json: all of it in FILE;
                                     --rate 0: nothing sent, each process's CPU per second at rest
              bench-compare BEFORE.json AFTER.json
                                     two runs of bench --json side by side, window by window: throughput, errors,
                                     latency, CPU per payment of every process, statements and commits per payment,
                                     compile time, and the change of each
              bench-vault [CONCURRENCY] [SECONDS]
                                     tokenize, then detokenize, at the vault alone (default 16 for 20 s each)
              scenario               payments through an outage of acquirer-a, its recovery and timeouts; prints
                                     the outcomes and the simulators' charge records (exit 1 on a double charge)
              risk train [--seed N] [--days N] [--merchants N] [--output FILE]
                                     generate labelled traffic, train the fraud model, print its evaluation and
                                     write risk-service/src/main/resources/dev/nightjar/risk/model.json
                                     (rebuild, or ./nightjar up, for the service to load it)
              trace PAYMENT_ID [--minutes N]
                                     the payment's traces from the platform's Zipkin server as trees: the request
                                     that created it with every hop it caused (Kafka consumers included), then each
                                     later request on it; each span's service, start offset and duration
              observe check          payments, declines, a refund, a settlement and an outage of acquirer-a, then every
                                     recording rule, alert and dashboard query evaluated against the platform's
                                     Prometheus: exit 1 when one is invalid or returns no series, or when the
                                     outage's alerts do not fire
              incident timeline --from T1 [--to T2] [--payment PAYMENT_ID] [--json]
                                     service logs (WARN and ERROR; with a payment also its INFO lines), payment
                                     events, alerts, audit records and (with a payment) traces from T1 to T2 (default
                                     now) in one time-ordered list; T as 2026-12-01T07:10:00Z or relative as -15m;
                                     --json prints a JSON array. Exit 1 when a source could not be read
              ledger check           the ledger's integrity: entries balanced, currencies summing to zero, hash
                                     chains intact, every captured payment booked exactly; exit 1 on any finding
              settle                 run the settlement cut-off now: batch, submit, reconcile, post, pay out
              bench-settlement [N]   N (100000) captures through the ledger (entries/s per shard), then the
                                     settlement cut-off of them, in batches of at most 50,000 lines (its time)
              seed [--payments N] [--seed S] [--merchants K] [--months M] [--batch B]
                                     a platform with a history: N (1000000) past payments of K (300) merchants over
                                     the last M (6) months, written straight into the services' databases with their
                                     refunds, ledger entries (chained on), settlements and risk state; needs the
                                     platform's PostgreSQL with its schemas (any ./nightjar up); see docs/performance.md
              risk bench [--decisions N] [--warmup N] [--days N]
                                     time risk-service's decide() on realistic feature state (p50, p99, ...)
              chaos [--short] [--rate N] [--hold SECONDS] [--warmup SECONDS] [--faults a,b,...] [--http1.1]
                                     open-loop payments (several merchants, both shards, a card mix with refunds,
                                     captures and cancels) while faults are injected one after another: every
                                     service killed, the broker and the database killed, acquirer outage, timeouts,
                                     slowness; after each, the invariants are checked and a row printed (exit 1
                                     on any violation). See docs/reliability.md

            State lives in .nightjar/ (override with NIGHTJAR_STATE); ports with NIGHTJAR_GATEWAY_PORT and NIGHTJAR_BASE_PORT;
            NIGHTJAR_TRACE_SAMPLING (0 to 1, default 1) is the share of requests the services trace, read at their start;
            NIGHTJAR_JAVA_OPTIONS adds JVM options to every service's, after the platform's own;
            NIGHTJAR_KAFKA_JAVA_OPTIONS does the same for the Kafka broker's.
            """;

    private Cli() {
    }

    public static void main(String[] args) {
        PrintStream out = System.out;
        int exit;
        try {
            exit = run(List.of(args), layoutFromEnvironment(), out);
        } catch (RuntimeException e) {
            System.err.println("nightjar: " + e.getMessage());
            exit = 1;
        }
        System.exit(exit);
    }

    static int run(List<String> args, PlatformLayout layout, PrintStream out) {
        if (args.isEmpty()) {
            out.print(USAGE);
            return 2;
        }
        boolean up = "up".equals(args.get(0));
        if (up && args.size() > 1 && !List.of("--ha").equals(args.subList(1, args.size()))) {
            out.print(USAGE);
            return 2;
        }
        if ("bench-compare".equals(args.get(0))) {
            return BenchComparison.run(args.subList(1, args.size()), out);
        }
        if (!STARTS_OR_STOPS.contains(args.get(0))) {
            return command(args, layout, out);
        }
        try (StateLock lock = StateLock.take(layout.state(), String.join(" ", args))) {
            return command(args, layout, out);
        }
    }

    /** The commands that start or stop the platform's processes: one at a time on a state directory ({@link StateLock}). */
    private static final Set<String> STARTS_OR_STOPS = Set.of("up", "down", "restart", "chaos");

    private static int command(List<String> args, PlatformLayout layout, PrintStream out) {
        boolean up = "up".equals(args.get(0));
        Optional<DatabaseMode> requested = up && args.contains("--ha") ? Optional.of(DatabaseMode.HA) : Optional.empty();
        Platform platform = new Platform(layout, out, DatabaseMode.choose(layout, requested));
        switch (args.get(0)) {
            case "up" -> {
                Duration warmUp = PaymentPathWarmUp.length(System.getenv());
                boolean starting = !platform.servicesRunning();
                Platform.DemoMerchant demo = platform.up();
                if (starting) {
                    PaymentPathWarmUp.afterUp(platform, warmUp, out);
                } else {
                    out.println("payment path not warmed: every service was running already");
                }
                out.print(Walkthrough.render(platform, demo));
                return 0;
            }
            case "down" -> {
                platform.down();
                return 0;
            }
            case "restart" -> {
                Optional<FleetMember> member = args.size() == 2 ? FleetMember.named(args.get(1)) : Optional.empty();
                if (member.isEmpty()) {
                    out.println("restart needs one service of: " + Arrays.stream(FleetMember.values())
                            .map(FleetMember::instance).collect(Collectors.joining(", ")));
                    return 2;
                }
                platform.restart(member.get());
                return 0;
            }
            case "status" -> {
                boolean allUp = true;
                out.printf("%-20s %8s %6s  %-12s  %s%n", "COMPONENT", "PID", "PORT", "ROLE", "HEALTH");
                for (Platform.ComponentStatus status : platform.status()) {
                    out.printf("%-20s %8s %6d  %-12s  %s%n", status.name(), status.pid() == null ? "-" : status.pid(),
                            status.port(), status.role() == null ? "-" : status.role(), status.health());
                    allUp &= status.health().startsWith("UP");
                }
                return allUp ? 0 : 3;
            }
            case "merchant" -> {
                if (args.size() < 3 || !"create".equals(args.get(1))) {
                    out.print(USAGE);
                    return 2;
                }
                out.println(platform.createMerchant(String.join(" ", args.subList(2, args.size()))));
                return 0;
            }
            case "bench" -> {
                if (OpenLoopOptions.requested(args.subList(1, args.size()))) {
                    OpenLoopOptions options;
                    try {
                        options = OpenLoopOptions.parse(args.subList(1, args.size()));
                    } catch (IllegalArgumentException e) {
                        out.println(e.getMessage());
                        out.print(USAGE);
                        return 2;
                    }
                    return onPlatform(out, () -> new OpenLoopBenchmark(platform, out).run(options));
                }
                int concurrency = args.size() > 1 ? Integer.parseInt(args.get(1)) : 32;
                int seconds = args.size() > 2 ? Integer.parseInt(args.get(2)) : 30;
                String card = args.size() > 3 ? args.get(3) : Walkthrough.approvedTestCard(platform);
                try {
                    new PaymentBenchmark(platform, out).run(new PaymentBenchmark.Settings(concurrency,
                            java.time.Duration.ofSeconds(seconds), Math.max(200, concurrency * 10), card, 1999));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return 1;
                }
                return 0;
            }
            case "scenario" -> {
                return onPlatform(out, () ->
                        new ResilienceScenario(platform, out, Walkthrough.approvedTestCard(platform)).run() ? 0 : 1);
            }
            case "risk" -> {
                if (args.size() < 2 || RiskTools.command(args.get(1), List.of(), layout.repository()) == null) {
                    out.print(USAGE);
                    return 2;
                }
                return RiskTools.run(args.get(1), args.subList(2, args.size()), layout.repository(), out);
            }
            case "ledger" -> {
                if (args.size() < 2 || !"check".equals(args.get(1))) {
                    out.print(USAGE);
                    return 2;
                }
                return onPlatform(out, () -> LedgerTools.check(platform, out));
            }
            case "trace" -> {
                if (args.size() != 2 && !(args.size() == 4 && "--minutes".equals(args.get(2)))) {
                    out.print(USAGE);
                    return 2;
                }
                Duration lookback = Duration.ofMinutes(args.size() == 4 ? Long.parseLong(args.get(3)) : 60);
                int traces = new PaymentTraces(platform.zipkin().url()).print(args.get(1), lookback, out);
                return traces > 0 ? 0 : 1;
            }
            case "observe" -> {
                if (args.size() != 2 || !"check".equals(args.get(1))) {
                    out.print(USAGE);
                    return 2;
                }
                return onPlatform(out, () -> new ObserveCheck(platform, out).run().passed() ? 0 : 1);
            }
            case "incident" -> {
                if (args.size() < 2 || !"timeline".equals(args.get(1))) {
                    out.print(USAGE);
                    return 2;
                }
                IncidentTimeline.Options options;
                try {
                    options = IncidentTimeline.Options.parse(args.subList(2, args.size()),
                            java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
                } catch (IllegalArgumentException e) {
                    out.println(e.getMessage());
                    out.print(USAGE);
                    return 2;
                }
                return onPlatform(out, () -> new IncidentTimeline(platform, out, System.err).run(options));
            }
            case "settle" -> {
                return onPlatform(out, () -> LedgerTools.settle(platform, out));
            }
            case "bench-settlement" -> {
                int payments = args.size() > 1 ? Integer.parseInt(args.get(1)) : 100_000;
                return onPlatform(out, () -> new dev.nightjar.platform.bench.SettlementBenchmark(platform, out).run(payments));
            }
            case "seed" -> {
                return seed(platform, args.subList(1, args.size()), out);
            }
            case "chaos" -> {
                return onPlatform(out, () -> new Chaos(platform, out).run(ChaosOptions.parse(args.subList(1, args.size())))
                        ? 0 : 1);
            }
            case "bench-vault" -> {
                int concurrency = args.size() > 1 ? Integer.parseInt(args.get(1)) : 16;
                int seconds = args.size() > 2 ? Integer.parseInt(args.get(2)) : 20;
                try {
                    new VaultBenchmark(platform, out).run(concurrency, java.time.Duration.ofSeconds(seconds));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return 1;
                }
                return 0;
            }
            default -> {
                out.print(USAGE);
                return 2;
            }
        }
    }

    /** {@code seed}: writes a history of past payments into the platform's databases. */
    private static int seed(Platform platform, List<String> args, PrintStream out) {
        SeedOptions options;
        try {
            options = SeedOptions.parse(args, java.time.Instant.now());
        } catch (IllegalArgumentException e) {
            out.println(e.getMessage());
            out.print(USAGE);
            return 2;
        }
        if (!platform.database().isRunning()) {
            out.println("the platform's PostgreSQL is not running: ./nightjar up first");
            return 1;
        }
        try {
            new HistorySeeder(platform.database(), out).run(options);
            return 0;
        } catch (java.sql.SQLException e) {
            out.println("seeding failed: " + e.getMessage());
            return 1;
        }
    }

    /** A command that talks to the running platform. */
    interface PlatformCommand {
        int run() throws java.io.IOException, InterruptedException;
    }

    private static int onPlatform(PrintStream out, PlatformCommand command) {
        try {
            return command.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (java.io.IOException e) {
            out.println("the platform is not reachable; is it up? " + e.getMessage());
            return 1;
        }
    }

    static PlatformLayout layoutFromEnvironment() {
        Path repository = Path.of(System.getProperty("nightjar.repository", System.getProperty("user.dir")));
        String state = System.getenv("NIGHTJAR_STATE");
        Ports ports = new Ports(intFrom(System.getenv(), "NIGHTJAR_GATEWAY_PORT", Ports.DEFAULT.gateway()),
                intFrom(System.getenv(), "NIGHTJAR_BASE_PORT", Ports.DEFAULT.base()));
        PlatformLayout layout = new PlatformLayout(repository, state == null ? repository.resolve(".nightjar") : Path.of(state), ports);
        // The share of requests traced (the services start with 1.0 here; a deployment chooses, 0.1 by default)
        String sampling = System.getenv("NIGHTJAR_TRACE_SAMPLING");
        return sampling == null || sampling.isBlank() ? layout
                : layout.withServiceProperties(java.util.Map.of("management.tracing.sampling.probability", sampling.trim()));
    }

    /** The whole number in variable {@code name} of {@code environment}, {@code fallback} when unset; refused naming it. */
    static int intFrom(java.util.Map<String, String> environment, String name, int fallback) {
        return (int) EnvironmentNumbers.wholeNumber(environment, name, fallback, Integer.MIN_VALUE, Integer.MAX_VALUE,
                "a whole number");
    }
}
