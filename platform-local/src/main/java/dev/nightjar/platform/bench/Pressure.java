package dev.nightjar.platform.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The kernel's pressure stall information ({@code /proc/pressure/cpu} and {@code io}): the time in which at least
 * one task waited for a CPU ({@code some}), and in which at least one waited for I/O or every task that was not
 * idle did ({@code full}). Read at the start of each slice of a run, it shows whether a slice where every request
 * was slow was short of CPU, or stalled on the disk.
 */
final class Pressure {

    private static final Path CPU = Path.of("/proc/pressure/cpu");
    private static final Path IO = Path.of("/proc/pressure/io");

    /** Cumulative stall times in microseconds, as the kernel counts them since boot. */
    record Snapshot(long nanoTime, long cpuSomeMicros, long ioSomeMicros, long ioFullMicros) {
    }

    /** The share of a slice's wall time spent in each stall, in percent. */
    record Shares(double cpuSomePercent, double ioSomePercent, double ioFullPercent) {
    }

    private Pressure() {
    }

    /** The counters now; null where the kernel does not expose them (no PSI, or not Linux). */
    static Snapshot read() {
        try {
            return parse(System.nanoTime(), Files.readAllLines(CPU), Files.readAllLines(IO));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Parses the two files' lines, such as {@code some avg10=0.00 avg60=0.00 avg300=0.00 total=123}. */
    static Snapshot parse(long nanoTime, List<String> cpu, List<String> io) {
        return new Snapshot(nanoTime, total(cpu, "some"), total(io, "some"), total(io, "full"));
    }

    /** The shares between two snapshots; null when either is missing or no time passed. */
    static Shares between(Snapshot from, Snapshot to) {
        if (from == null || to == null || to.nanoTime() <= from.nanoTime()) {
            return null;
        }
        double wallMicros = (to.nanoTime() - from.nanoTime()) / 1_000.0;
        return new Shares(percent(to.cpuSomeMicros() - from.cpuSomeMicros(), wallMicros),
                percent(to.ioSomeMicros() - from.ioSomeMicros(), wallMicros),
                percent(to.ioFullMicros() - from.ioFullMicros(), wallMicros));
    }

    private static double percent(long stalledMicros, double wallMicros) {
        return Math.min(100.0, Math.max(0.0, 100.0 * stalledMicros / wallMicros));
    }

    private static long total(List<String> lines, String kind) {
        for (String line : lines) {
            if (line.startsWith(kind + " ")) {
                for (String field : line.split(" ")) {
                    if (field.startsWith("total=")) {
                        return Long.parseLong(field.substring("total=".length()));
                    }
                }
            }
        }
        throw new IllegalArgumentException("no '" + kind + "' line with a total in " + lines);
    }
}
