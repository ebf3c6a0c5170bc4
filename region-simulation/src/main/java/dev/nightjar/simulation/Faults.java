package dev.nightjar.simulation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * The faults of one run, drawn from its seed before it starts: message loss, duplication and slowness rates;
 * partitions between the two regions, each healed, one of them sometimes beginning as a failure heals; up to two
 * failures of a region, one after the other, each either its loss (every process and the link to it gone, back later
 * to rejoin as a standby) or its isolation (alive and still reached by its clients and the acquirer, but cut from the
 * other region and the witness), the second of the region that survived the first; and how often a region's process
 * crashes, each time between an acquirer's charge and the payment's record. Every fault is over by
 * {@link Timings#FAULTS_END_MILLIS}, and from then on the network neither loses nor slows anything, so the run can
 * show it heals.
 *
 * <p>Abstracts away: faults inside a region (a lost database primary there fails over synchronously, see
 * docs/database.md), clock drift, and the witness's own failures (it is a quorum over three sites).
 */
final class Faults {

    /** A stretch of simulated time, {@code [start, end)}. */
    record Window(long startMillis, long endMillis) {
        boolean contains(long t) {
            return t >= startMillis && t < endMillis;
        }

        boolean overlaps(long from, long to) {
            return startMillis < to && from < endMillis;
        }
    }

    enum FailureKind { REGION_LOSS, ISOLATION }

    /** A region lost or isolated for a window. */
    record Failure(FailureKind kind, String region, Window window) {
    }

    final double lossProbability;
    final double duplicateProbability;
    final double slowProbability;
    /** Mean time between process crashes in each region, 0 for none; each strikes between a charge and its record. */
    final long meanMillisBetweenCrashes;
    final List<Window> partitions;
    /** In time order, not overlapping. */
    final List<Failure> failures;

    Faults(RandomGenerator random) {
        lossProbability = random.nextDouble() < 0.2 ? 0 : random.nextDouble(0.08);
        duplicateProbability = random.nextDouble(0.05);
        slowProbability = random.nextDouble(0.05);
        meanMillisBetweenCrashes = random.nextDouble() < 0.3 ? 0 : random.nextLong(10_000, 120_000);
        List<Window> drawn = new ArrayList<>();
        int count = random.nextInt(4);
        for (int i = 0; i < count; i++) {
            long start = random.nextLong(0, 200_000);
            drawn.add(new Window(start, start + random.nextLong(500, 40_000)));
        }
        List<Failure> failed = new ArrayList<>();
        Failure first = failure(random, Topology.REGIONS.get(random.nextInt(2)), random.nextLong(10_000, 120_000));
        if (first != null) {
            failed.add(first);
            // The region that survived the first failure fails too, as soon as 2 s after the first one ends.
            long start = first.window().endMillis() + random.nextLong(2_000, 60_000);
            Failure second = random.nextDouble() < 0.3 ? failure(random, Topology.other(first.region()), start) : null;
            if (second != null && second.window().endMillis() < Timings.FAULTS_END_MILLIS - 5_000) {
                failed.add(second);
            }
        }
        failures = List.copyOf(failed);
        if (first != null && random.nextDouble() < 0.3) {
            // Faults come together: a partition between the regions as the first failure heals.
            long start = first.window().endMillis() + random.nextLong(-5_000, 10_000);
            drawn.add(new Window(start, Math.min(start + random.nextLong(500, 40_000), Timings.FAULTS_END_MILLIS - 5_000)));
        }
        partitions = List.copyOf(drawn);
    }

    private static Failure failure(RandomGenerator random, String region, long start) {
        double pick = random.nextDouble();
        if (pick < 0.45) {
            return new Failure(FailureKind.REGION_LOSS, region, new Window(start, start + random.nextLong(40_000, 120_000)));
        }
        if (pick < 0.8) {
            return new Failure(FailureKind.ISOLATION, region, new Window(start, start + random.nextLong(3_000, 90_000)));
        }
        return null;
    }

    /** After the faults: nothing lost, duplicated or slow. */
    boolean calm(long t) {
        return t >= Timings.FAULTS_END_MILLIS;
    }

    boolean lost(String region, long t) {
        return failing(FailureKind.REGION_LOSS, region, t);
    }

    boolean isolated(String region, long t) {
        return failing(FailureKind.ISOLATION, region, t);
    }

    private boolean failing(FailureKind kind, String region, long t) {
        for (Failure failure : failures) {
            if (failure.kind() == kind && failure.region().equals(region) && failure.window().contains(t)) {
                return true;
            }
        }
        return false;
    }

    boolean partitioned(long t) {
        return partitions.stream().anyMatch(w -> w.contains(t));
    }

    /** Whether nothing can pass between these two parties now. */
    boolean cut(String from, String to, long t) {
        if (lost(from, t) || lost(to, t)) {
            return true;
        }
        boolean fromRegion = Topology.isRegion(from);
        boolean toRegion = Topology.isRegion(to);
        if (fromRegion && toRegion) {
            return partitioned(t) || isolated(from, t) || isolated(to, t);
        }
        if (fromRegion && to.equals(Topology.WITNESS)) {
            return isolated(from, t);
        }
        if (toRegion && from.equals(Topology.WITNESS)) {
            return isolated(to, t);
        }
        return false;
    }

    /** Whether the link between the regions was up, and both regions there, during all of {@code [from, to)}. */
    boolean regionsLinkedThroughout(long from, long to) {
        if (partitions.stream().anyMatch(w -> w.overlaps(from, to))) {
            return false;
        }
        return failures.stream().noneMatch(f -> f.window().overlaps(from, to));
    }

    /** When the link between the regions last came up at or before {@code t} (0 if it never went down). */
    long regionsLinkedSince(long t) {
        long since = 0;
        for (Window window : partitions) {
            if (window.endMillis() <= t) {
                since = Math.max(since, window.endMillis());
            }
        }
        for (Failure failure : failures) {
            if (failure.window().endMillis() <= t) {
                since = Math.max(since, failure.window().endMillis());
            }
        }
        return since;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "loss %.3f, duplicates %.3f, slow %.3f, %s, partitions %s, failures %s",
                lossProbability, duplicateProbability, slowProbability,
                meanMillisBetweenCrashes == 0 ? "no crashes" : "a crash every " + meanMillisBetweenCrashes + " ms on average",
                partitions, failures);
    }
}
