package dev.nightjar.acquirer;

import dev.nightjar.acquirer.journal.FileJournal;
import dev.nightjar.acquirer.journal.Journal;
import dev.nightjar.contracts.contract.AcquirerProtocol.AuthorizationRequest;
import dev.nightjar.contracts.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.springframework.util.unit.DataSize;

/**
 * How many records per second the network's journal takes: written to the OS only (what survives a process
 * kill), synced to the disk one append at a time (one client), synced with group commit (many clients), and
 * the whole network (decide, journal, apply, fsync) answering authorizations from many threads. Each case runs
 * for a fixed time on a fresh directory; the records are the network's own, about 330 bytes of JSON each.
 *
 * <p>Run (see docs/settlement.md): {@code JournalBenchmark [seconds per case, default 5] [directory, default a temporary one]}.
 */
public final class JournalBenchmark {

    private JournalBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Duration each = Duration.ofSeconds(args.length > 0 ? Long.parseLong(args[0]) : 5);
        Path root = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("journal-benchmark");
        System.out.printf("journal benchmark in %s, %d s per case, %d cores%n", root, each.toSeconds(),
                Runtime.getRuntime().availableProcessors());
        journal(root.resolve("write"), "written to the OS (no fsync)", false, 1, each);
        journal(root.resolve("write-8"), "written to the OS (no fsync)", false, 8, each);
        journal(root.resolve("fsync-1"), "fsync, one client", true, 1, each);
        journal(root.resolve("fsync-8"), "fsync, group commit", true, 8, each);
        journal(root.resolve("fsync-64"), "fsync, group commit", true, 64, each);
        network(root.resolve("network-64"), 64, each);
    }

    /** Appends the network's entries as the network does: under a lock, then synced outside it. */
    private static void journal(Path dir, String what, boolean fsync, int threads, Duration each) throws Exception {
        NetworkState state = new NetworkState(1_000_000);
        ReentrantLock lock = new ReentrantLock();
        AtomicLong count = new AtomicLong();
        try (Journal<NetworkEntry> journal = FileJournal.open(dir, new FileJournal.Options("acquirer-a", 64L << 20, fsync),
                Json.MAPPER, NetworkEntry.class, state::apply, state::snapshot)) {
            Instant until = Instant.now().plus(each);
            long started = System.nanoTime();
            Parallel.run(threads, thread -> {
                for (long i = 0; Instant.now().isBefore(until); i++) {
                    NetworkEntry entry = new NetworkEntry.Imported(record("bench-" + thread + "-" + i));
                    long sequence;
                    lock.lock();
                    try {
                        sequence = journal.append(List.of(entry));
                        state.apply(entry);
                    } finally {
                        lock.unlock();
                    }
                    journal.sync(sequence);
                    count.incrementAndGet();
                }
            });
            report(what, threads, count.get(), System.nanoTime() - started, dir);
        }
    }

    /** Authorizations through the whole network on a journal, as the simulator runs locally. */
    private static void network(Path dir, int threads, Duration each) throws Exception {
        AtomicLong count = new AtomicLong();
        try (SimulatedNetwork network = new SimulatedNetwork(new SimulatorProperties("acquirer-a", Duration.ofMillis(1),
                1_000_000, Duration.ZERO, Duration.ZERO, 90, dir, DataSize.ofMegabytes(64)))) {
            Instant until = Instant.now().plus(each);
            long started = System.nanoTime();
            Parallel.run(threads, thread -> {
                for (long i = 0; Instant.now().isBefore(until); i++) {
                    network.authorize(new AuthorizationRequest("bench-" + thread + "-" + i, "mer_bench", 1_999, "EUR",
                            "4242424242424242", 12, 2030, "123", true));
                    count.incrementAndGet();
                }
            });
            report("network authorizations, fsync", threads, count.get(), System.nanoTime() - started, dir);
        }
    }

    private static NetworkRecord record(String reference) {
        return new NetworkRecord(reference, "nw_" + Long.toUnsignedString(reference.hashCode(), 36), "acquirer-a", "sale",
                "mer_01JBENCHMARKMERCHANT0000", 1_999, "EUR", "4242", dev.nightjar.contracts.contract.NetworkAnswer.APPROVED, null, true, null, Instant.now());
    }

    private static void report(String what, int threads, long records, long nanos, Path dir) throws Exception {
        long bytes;
        try (Stream<Path> files = Files.list(dir)) {
            bytes = files.mapToLong(file -> file.toFile().length()).sum();
        }
        double seconds = nanos / 1e9;
        System.out.printf("%-32s %3d threads: %,9.0f records/s  (%,d records, %.1f bytes each on disk)%n", what, threads,
                records / seconds, records, (double) bytes / Math.max(1, records));
    }
}
