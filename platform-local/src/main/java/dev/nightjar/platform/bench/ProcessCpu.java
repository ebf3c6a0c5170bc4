package dev.nightjar.platform.bench;

import dev.nightjar.platform.process.ProcessStat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The CPU each process of the platform spent over a measured window, from {@code /proc}: a snapshot of
 * every process's ticks at the window's start and end. A component is a process and everything below it
 * that is not a component of its own, so PostgreSQL's figure is its postmaster with all its backends
 * (the live ones, and through the postmaster's children's ticks those that exited in the window).
 */
final class ProcessCpu {

    /** proc(5)'s unit when {@code getconf CLK_TCK} cannot be asked; it is 100 on every Linux we run on. */
    static final long ASSUMED_TICKS_PER_SECOND = 100;

    /** A parent chain longer than this is a loop in a racing snapshot, not a real process tree. */
    private static final int MAX_TREE_DEPTH = 64;
    /** The row of the platform without its {@link #STAND_INS}. */
    static final String NIGHTJAR = "Nightjar's own processes";

    /**
     * One thing whose CPU is reported: a process of the platform, or the load generator itself.
     *
     * @param platform false for the benchmark's own process, which is on the machine but not the platform
     */
    record Component(String name, long pid, boolean platform) {
    }

    /** Every process at one moment, and the machine's busy ticks and the ticks the host took from it (steal) then. */
    record Snapshot(long takenNanos, Map<Long, ProcessStat> processes, long machineBusyTicks, long machineStealTicks) {
    }

    /**
     * One row of the table.
     *
     * @param note why the figures are missing (the process was not running, or was restarted in the window)
     */
    record Row(String process, double cpuMillis, double millisPerPayment, double percentOfCore, String note) {
    }

    /**
     * What the window cost.
     *
     * @param payments the payments created in the window (every 201), what the CPU is divided by
     */
    record Table(double windowSeconds, long payments, long ticksPerSecond, List<Row> processes, Row platformTotal,
                 Row nightjar, Row loadGenerator, Row restOfMachine, Row wholeMachine, Row takenByHost) {
    }

    /**
     * The platform's processes that stand in, on this machine, for what a deployment of Nightjar does not run itself:
     * the card networks (the acquirer simulators) and the tracing and metrics servers. The rest, the services, their
     * databases and the broker, are Nightjar's own row.
     */
    static final Set<String> STAND_INS = Set.of("acquirer-a", "acquirer-b", "zipkin", "prometheus");

    private ProcessCpu() {
    }

    /** Every process now, from {@code /proc}; processes that exit while it is read are left out. */
    static Snapshot take() {
        long takenNanos = System.nanoTime();
        try {
            Map<Long, ProcessStat> processes = ProcessStat.readAll(Path.of("/proc"));
            String cpuLine;
            try (Stream<String> lines = Files.lines(Path.of("/proc/stat"))) {
                cpuLine = lines.findFirst().orElse("");
            }
            return new Snapshot(takenNanos, processes, ProcessStat.busyTicksOfMachine(cpuLine),
                    ProcessStat.stealTicksOfMachine(cpuLine));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read /proc (the CPU figures need Linux)", e);
        }
    }

    /** Seconds since the machine booted, from {@code /proc/uptime}: the clock the processes' start times count on. */
    static double uptimeSeconds() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/uptime")).trim().split(" +")[0]);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read /proc/uptime (the CPU figures need Linux)", e);
        }
    }

    /**
     * How long the youngest process of the platform had been running at the snapshot, in seconds: right after
     * {@code up} the fleet's compilers are still busy, and after a restart the restarted process is. Empty when
     * no process of the platform is in the snapshot.
     */
    static OptionalDouble platformAgeSeconds(Snapshot snapshot, List<Component> components, long ticksPerSecond,
                                             double uptimeSeconds) {
        return components.stream().filter(Component::platform).map(component -> snapshot.processes().get(component.pid()))
                .filter(Objects::nonNull)
                .mapToDouble(process -> uptimeSeconds - (double) process.startTicks() / ticksPerSecond).min();
    }

    /**
     * The length of a clock tick, and where it came from.
     *
     * @param source {@code getconf CLK_TCK}, or {@code assumed} when getconf could not be asked
     */
    record ClockTicks(long perSecond, String source) {
    }

    /** {@code getconf CLK_TCK}, asked once; {@link #ASSUMED_TICKS_PER_SECOND} when it cannot be asked. */
    static ClockTicks clockTicks() {
        ClockTicks assumed = new ClockTicks(ASSUMED_TICKS_PER_SECOND, "assumed");
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            if (!getconf.waitFor(5, TimeUnit.SECONDS)) {
                getconf.destroyForcibly();
                return assumed;
            }
            long ticks = Long.parseLong(new String(getconf.getInputStream().readAllBytes()).trim());
            return ticks > 0 ? new ClockTicks(ticks, "getconf CLK_TCK") : assumed;
        } catch (IOException | NumberFormatException e) {
            return assumed;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return assumed;
        }
    }

    /**
     * Each component's ticks at one snapshot: every process counts for the nearest component at or above it
     * in the process tree, so a postmaster's backends count for PostgreSQL and a Patroni node's postmaster,
     * when both are components, for the postmaster. Components whose process is gone are left out.
     */
    static Map<String, Long> ticksByComponent(List<Component> components, Map<Long, ProcessStat> processes) {
        Map<Long, Component> byPid = new HashMap<>();
        components.forEach(component -> byPid.putIfAbsent(component.pid(), component));
        Map<String, Long> ticks = new LinkedHashMap<>();
        components.stream().filter(component -> processes.containsKey(component.pid()))
                .forEach(component -> ticks.put(component.name(), 0L));
        for (ProcessStat process : processes.values()) {
            Component owner = owner(process, processes, byPid);
            if (owner != null) {
                ticks.merge(owner.name(), process.totalTicks(), Long::sum);
            }
        }
        return ticks;
    }

    /**
     * Each process of the platform's CPU so far, in milliseconds, from a snapshot taken now: what the benchmark reads
     * at the start of every slice of a run ({@link OpenLoop.CpuProbe}). The load generator is left out.
     */
    static Map<String, Double> platformMillisNow(List<Component> components, long ticksPerSecond) {
        Map<String, Double> millis = new LinkedHashMap<>();
        ticksByComponent(components.stream().filter(Component::platform).toList(), take().processes())
                .forEach((name, ticks) -> millis.put(name, millis(ticks, ticksPerSecond)));
        return millis;
    }

    private static Component owner(ProcessStat process, Map<Long, ProcessStat> processes, Map<Long, Component> byPid) {
        ProcessStat current = process;
        for (int depth = 0; current != null && depth < MAX_TREE_DEPTH; depth++) {
            Component component = byPid.get(current.pid());
            if (component != null) {
                return component;
            }
            current = current.parentPid() > 1 ? processes.get(current.parentPid()) : null;
        }
        return null;
    }

    /** CPU milliseconds per payment: what {@code ticks} cost, shared over {@code payments}; 0 with none. */
    static double millisPerPayment(long ticks, long ticksPerSecond, long payments) {
        return payments == 0 ? 0 : millis(ticks, ticksPerSecond) / payments;
    }

    /** The share of one core {@code ticks} took over a window of {@code windowNanos}, in percent. */
    static double percentOfCore(long ticks, long ticksPerSecond, long windowNanos) {
        return percentOfCore(millis(ticks, ticksPerSecond), windowNanos);
    }

    /** The share of one core {@code cpuMillis} of CPU took over a window of {@code windowNanos}, in percent. */
    static double percentOfCore(double cpuMillis, long windowNanos) {
        return windowNanos <= 0 ? 0 : cpuMillis / (windowNanos / 1e6) * 100;
    }

    static double millis(long ticks, long ticksPerSecond) {
        return ticks * 1000.0 / ticksPerSecond;
    }

    /** The table for the window from {@code start} to {@code end}, in which {@code payments} were created. */
    static Table between(Snapshot start, Snapshot end, List<Component> components, long payments, long ticksPerSecond) {
        long windowNanos = end.takenNanos() - start.takenNanos();
        Map<String, Long> before = ticksByComponent(components, start.processes());
        Map<String, Long> after = ticksByComponent(components, end.processes());
        List<Row> rows = new ArrayList<>();
        long platformTicks = 0;
        long nightjarTicks = 0;
        Row loadGenerator = null;
        long loadGeneratorTicks = 0;
        for (Component component : components) {
            String note = missing(component, start.processes(), end.processes());
            if (note != null) {
                Row row = new Row(component.name(), 0, 0, 0, note);
                if (component.platform()) {
                    rows.add(row);
                } else {
                    loadGenerator = row;
                }
                continue;
            }
            long ticks = Math.max(0, after.get(component.name()) - before.get(component.name()));
            Row row = row(component.name(), ticks, ticksPerSecond, payments, windowNanos);
            if (component.platform()) {
                rows.add(row);
                platformTicks += ticks;
                nightjarTicks += STAND_INS.contains(component.name()) ? 0 : ticks;
            } else {
                loadGenerator = row;
                loadGeneratorTicks = ticks;
            }
        }
        long machineTicks = Math.max(0, end.machineBusyTicks() - start.machineBusyTicks());
        long restTicks = Math.max(0, machineTicks - platformTicks - loadGeneratorTicks);
        return new Table(windowNanos / 1e9, payments, ticksPerSecond, rows,
                row("platform, all processes", platformTicks, ticksPerSecond, payments, windowNanos),
                row(NIGHTJAR, nightjarTicks, ticksPerSecond, payments, windowNanos),
                loadGenerator,
                row("rest of the machine", restTicks, ticksPerSecond, payments, windowNanos),
                row("whole machine", machineTicks, ticksPerSecond, payments, windowNanos),
                row("taken by the host (steal)", Math.max(0, end.machineStealTicks() - start.machineStealTicks()),
                        ticksPerSecond, payments, windowNanos));
    }

    private static Row row(String name, long ticks, long ticksPerSecond, long payments, long windowNanos) {
        return new Row(name, millis(ticks, ticksPerSecond), millisPerPayment(ticks, ticksPerSecond, payments),
                percentOfCore(ticks, ticksPerSecond, windowNanos), null);
    }

    private static String missing(Component component, Map<Long, ProcessStat> start, Map<Long, ProcessStat> end) {
        ProcessStat first = start.get(component.pid());
        ProcessStat last = end.get(component.pid());
        if (first == null || last == null) {
            return "not running for the whole window";
        }
        return first.startTicks() == last.startTicks() ? null : "restarted in the window";
    }
}
