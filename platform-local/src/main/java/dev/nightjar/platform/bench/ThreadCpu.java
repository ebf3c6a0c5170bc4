package dev.nightjar.platform.bench;

import dev.nightjar.platform.process.ProcessStat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The busiest threads of the platform's processes over a measured window, from {@code /proc/<pid>/task}: which
 * part of a process spends its CPU (the virtual threads' carriers that run the requests, a Kafka producer's sender,
 * an outbox relay, the compiler, the span exporter). Threads are grouped by name with every run of digits read as
 * {@code N}, so a pool's workers are one row; the kernel keeps the first 15 characters of a thread's name.
 *
 * <p>A thread that ended inside the window is not in the end snapshot, so its CPU is missing here (the process's
 * row of {@link ProcessCpu} still has it); a thread that started inside the window counts from zero. PostgreSQL's
 * backends are processes of their own, split by database in {@link DatabaseWork}, so its row here is its
 * postmaster alone.
 */
final class ThreadCpu {

    /** How many groups the table shows: the rest are each a small share. */
    static final int BUSIEST = 15;

    /** Each component's threads at one moment: component name, thread id, its figures. */
    record Snapshot(long takenNanos, Map<String, Map<Long, ProcessStat>> threads) {
    }

    /**
     * One group of threads of one process.
     *
     * @param thread the threads' name with digits as {@code N}, as the kernel keeps it (15 characters)
     */
    record Row(String process, String thread, double millisPerPayment, double percentOfCore) {
    }

    private ThreadCpu() {
    }

    /** Every thread of every platform component now; a component whose process is gone has none. */
    static Snapshot take(List<ProcessCpu.Component> components) {
        long takenNanos = System.nanoTime();
        Map<String, Map<Long, ProcessStat>> threads = new HashMap<>();
        for (ProcessCpu.Component component : components) {
            if (component.platform()) {
                threads.put(component.name(), threadsOf(component.pid()));
            }
        }
        return new Snapshot(takenNanos, threads);
    }

    private static Map<Long, ProcessStat> threadsOf(long pid) {
        try {
            return ProcessStat.readAll(Path.of("/proc", Long.toString(pid), "task"));
        } catch (IOException e) {
            return Map.of(); // the process is gone: no threads
        }
    }

    /** The {@code limit} busiest groups of the window, busiest first, per payment created and in % of a core. */
    static List<Row> busiest(Snapshot start, Snapshot end, long payments, long ticksPerSecond, int limit) {
        long windowNanos = end.takenNanos() - start.takenNanos();
        Map<List<String>, Long> ticks = new HashMap<>();
        end.threads().forEach((process, threads) -> {
            Map<Long, ProcessStat> before = start.threads().getOrDefault(process, Map.of());
            threads.forEach((tid, stat) -> {
                ProcessStat earlier = before.get(tid);
                // a thread id taken over by a new thread (a later start) counts from zero, as a new thread does
                long from = earlier == null || earlier.startTicks() != stat.startTicks() ? 0 : own(earlier);
                ticks.merge(List.of(process, group(stat.name())), Math.max(0, own(stat) - from), Long::sum);
            });
        });
        List<Row> rows = new ArrayList<>();
        ticks.forEach((key, spent) -> rows.add(new Row(key.get(0), key.get(1),
                ProcessCpu.millisPerPayment(spent, ticksPerSecond, payments),
                ProcessCpu.percentOfCore(spent, ticksPerSecond, windowNanos))));
        rows.sort(Comparator.comparingDouble(Row::percentOfCore).reversed()
                .thenComparing(Row::process).thenComparing(Row::thread));
        return List.copyOf(rows.subList(0, Math.min(limit, rows.size())));
    }

    /** A thread's own time; the children's fields of a task's stat line are its process's, not the thread's. */
    private static long own(ProcessStat thread) {
        return thread.userTicks() + thread.systemTicks();
    }

    /** The group a thread's name belongs to: each run of digits read as {@code N}. */
    static String group(String threadName) {
        return threadName.replaceAll("[0-9]+", "N");
    }
}
