package dev.nightjar.platform.chaos;

import dev.nightjar.platform.AcquirerFaults;
import dev.nightjar.platform.DatabaseMode;
import dev.nightjar.platform.FleetMember;
import dev.nightjar.platform.Platform;
import dev.nightjar.platform.postgres.DatabaseCluster;
import dev.nightjar.platform.postgres.DatabaseNode;
import dev.nightjar.platform.postgres.PlatformDatabase;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** The faults {@code ./nightjar chaos} knows, by name, in the order it injects them. */
final class Faults {

    private Faults() {
    }

    /** The name that stands for the short run's faults: one of each kind that matters most. */
    static final String SHORT = "short";

    /** The faults of the short run, by name; the database's depends on its mode. */
    static List<String> shortRun(Platform platform) {
        List<DatabaseCluster> clusters = platform.database().clusters();
        String database = platform.databaseMode() == DatabaseMode.HA
                ? "kill-primary-" + clusters.get(clusters.size() - 1).name() : "kill-postgresql";
        return List.of("acquirer-a-outage", "kill-transaction-service", "kill-auth-service", "kill-gateway-service",
                "kill-kafka", database);
    }

    /** The named faults (all when {@code names} is empty; the short run's for {@link #SHORT}), each held for {@code hold}. */
    static List<Fault> select(Platform platform, Duration hold, List<String> names) {
        Map<String, Fault> all = all(platform, hold);
        if (names.isEmpty()) {
            return List.copyOf(all.values());
        }
        List<Fault> chosen = new ArrayList<>();
        for (String name : names.equals(List.of(SHORT)) ? shortRun(platform) : names) {
            Fault fault = all.get(name);
            if (fault == null) {
                throw new IllegalArgumentException("no fault named " + name + "; the faults are " + all.keySet());
            }
            chosen.add(fault);
        }
        return chosen;
    }

    static Map<String, Fault> all(Platform platform, Duration hold) {
        Map<String, Fault> faults = new LinkedHashMap<>();
        add(faults, acquirer(platform, "acquirer-a-outage", "{\"outage\": true}", hold,
                "payments fail over to acquirer-b; none charged twice"));
        add(faults, acquirer(platform, "acquirer-a-timeouts", "{\"timeout_rate\": 0.5}", hold,
                "timed-out payments wait as pending and are resolved by inquiry, never charged twice"));
        add(faults, acquirer(platform, "acquirer-a-slow", "{\"extra_latency_ms\": 1500}", hold,
                "payments are slower, none fails or is charged twice"));
        for (FleetMember member : List.of(FleetMember.GATEWAY, FleetMember.VAULT, FleetMember.TRANSACTION, FleetMember.AUTH,
                FleetMember.RISK, FleetMember.LEDGER, FleetMember.SETTLEMENT, FleetMember.ACQUIRER_A)) {
            add(faults, new Fault("kill-" + member.instance(), "SIGKILL mid-payment; brought back by ./nightjar up; fast 503s"
                    + " (or refused connections at the gateway itself) while it is away", hold,
                    () -> kill(platform.process(member), member.instance()), () -> up(platform)));
        }
        add(faults, new Fault("kill-kafka", "SIGKILL of the broker; payments go on (the outbox holds their events);"
                + " every event arrives once it is back", hold,
                () -> kill(platform.kafka().process(), "kafka"), () -> up(platform)));
        PlatformDatabase database = platform.database();
        if (platform.databaseMode() == DatabaseMode.HA) {
            for (DatabaseCluster cluster : database.clusters()) {
                add(faults, new Fault("kill-primary-" + cluster.name(), "SIGKILL of the primary node of " + cluster.name()
                        + " (Patroni and PostgreSQL, a lost machine): its synchronous standby is promoted and no"
                        + " acknowledged commit is lost; fast 503s during the promotion; ./nightjar up brings the node"
                        + " back as a replica", hold, () -> database.kill(leader(database, cluster.name())), () -> up(platform)));
            }
        } else {
            add(faults, new Fault("kill-postgresql", "SIGKILL of the PostgreSQL server; fast 503s while it is away;"
                    + " services recover by themselves once ./nightjar up has brought it back", hold,
                    () -> database.kill(leader(database, database.clusters().get(0).name())), () -> up(platform)));
        }
        String first = database.clusters().get(0).name();
        AtomicReference<Optional<ProcessHandle>> frozen = new AtomicReference<>(Optional.empty());
        add(faults, new Fault("freeze-postgresql", "the primary of " + first + " stopped (SIGSTOP) as by a stalled disk,"
                + " then resumed: requests wait or fail with a 503, none hangs past its timeouts", hold,
                () -> {
                    // resumed is the process stopped, not the primary of the moment: with --ha, Patroni may have
                    // promoted another node meanwhile, and the stopped one would stay stopped for good
                    frozen.set(leader(database, first).postmaster());
                    signal(frozen.get(), "STOP", true);
                },
                () -> signal(frozen.get(), "CONT", true)));
        return faults;
    }

    /** The cluster's primary node now (roles are read live, so a failover shows at once). */
    private static DatabaseNode leader(PlatformDatabase database, String cluster) {
        return database.clusters().stream().filter(c -> c.name().equals(cluster)).findFirst()
                .flatMap(DatabaseCluster::leader)
                .orElseThrow(() -> new IllegalStateException(cluster + " has no primary"));
    }

    private static void add(Map<String, Fault> faults, Fault fault) {
        faults.put(fault.name(), fault);
    }

    private static Fault acquirer(Platform platform, String name, String settings, Duration hold, String promise) {
        return new Fault(name, promise, hold, () -> AcquirerFaults.set(platform, FleetMember.ACQUIRER_A, settings),
                () -> AcquirerFaults.set(platform, FleetMember.ACQUIRER_A, null));
    }

    private static void kill(Optional<ProcessHandle> process, String what) {
        ProcessHandle handle = process.orElseThrow(() -> new IllegalStateException(what + " is not running"));
        handle.destroyForcibly();
        handle.onExit().join();
    }

    /** Sends a signal to a process and, with {@code family}, to all its descendants too. */
    private static void signal(Optional<ProcessHandle> process, String signal, boolean family) throws IOException, InterruptedException {
        ProcessHandle handle = process.orElseThrow(() -> new IllegalStateException("not running"));
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal, Long.toString(handle.pid())));
        if (family) {
            handle.descendants().forEach(child -> command.add(Long.toString(child.pid())));
        }
        int exit = new ProcessBuilder(command).inheritIO().start().waitFor();
        if (exit != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited with " + exit);
        }
    }

    private static void up(Platform platform) {
        platform.withOutput(new PrintStream(PrintStream.nullOutputStream())).bringBack();
    }
}
