package dev.nightjar.platform.chaos;

import dev.nightjar.platform.AcquirerFaults;
import dev.nightjar.platform.FleetMember;
import dev.nightjar.platform.Platform;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The faults {@code ./nightjar chaos} knows, by name, in the order it injects them. */
final class Faults {

    private Faults() {
    }

    /** The named faults (all when {@code names} is empty), each held for {@code hold}. */
    static List<Fault> select(Platform platform, Duration hold, List<String> names) {
        Map<String, Fault> all = all(platform, hold);
        if (names.isEmpty()) {
            return List.copyOf(all.values());
        }
        List<Fault> chosen = new ArrayList<>();
        for (String name : names) {
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
        add(faults, new Fault("kill-postgresql", "SIGKILL of the PostgreSQL server; fast 503s while it is away; services"
                + " recover by themselves once ./nightjar up has brought it back", hold,
                () -> kill(platform.postgres().postmaster(), "postgresql"), () -> up(platform)));
        add(faults, new Fault("freeze-postgresql", "PostgreSQL stopped (SIGSTOP) as by a stalled disk, then resumed;"
                + " no request hangs past its timeouts", hold,
                () -> signal(platform.postgres().postmaster(), "STOP", true), () -> signal(platform.postgres().postmaster(), "CONT", true)));
        return faults;
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
        platform.withOutput(new PrintStream(PrintStream.nullOutputStream())).up();
    }
}
