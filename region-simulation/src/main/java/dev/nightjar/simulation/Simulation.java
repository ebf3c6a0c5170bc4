package dev.nightjar.simulation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeSet;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * Two regions taking payments, run on a simulated clock: one seeded random generator draws every fault, delay and
 * payment, events run one at a time in time order (ties in the order they were scheduled), and nothing reads the
 * wall clock or starts a thread, so a seed replays exactly. After the run {@link Invariants} checks what must hold
 * for any seed.
 *
 * <p>The parties: two {@link Region}s, the {@link Acquirer}, the {@link Witness} and the {@link Clients}, talking
 * over the {@link Network} under the {@link Faults} the seed drew.
 */
public final class Simulation {

    private record Event(long atMillis, long order, Runnable action) implements Comparable<Event> {
        @Override
        public int compareTo(Event other) {
            int byTime = Long.compare(atMillis, other.atMillis);
            return byTime != 0 ? byTime : Long.compare(order, other.order);
        }
    }

    /** A standby promoted: where, when, and the approved payments of its shard it did not have. */
    record Promotion(String shard, String region, long atMillis, int knownMissing, List<Clients.Ack> missing) {
    }

    private final long seed;
    private final Set<Flaw> flaws;
    private final RandomGenerator random;
    private final Trace trace;
    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private final Faults faults;
    private final Network network;
    private final Acquirer acquirer;
    private final Witness witness;
    private final Clients clients;
    private final Map<String, Region> regions = new LinkedHashMap<>();
    private final List<Promotion> promotions = new ArrayList<>();
    private final List<String> findings = new ArrayList<>();
    private final Map<String, Integer> recordedBy = new LinkedHashMap<>();
    private final Map<String, NavigableSet<Long>> caughtUp = new HashMap<>();
    private long now;
    private long order;
    private long events;
    private int crashes;
    private int rewoundRecords;

    private Simulation(long seed, Set<Flaw> flaws, boolean traced) {
        this.seed = seed;
        this.flaws = flaws.isEmpty() ? EnumSet.noneOf(Flaw.class) : EnumSet.copyOf(flaws);
        this.random = RandomGeneratorFactory.of("L64X128MixRandom").create(seed);
        this.trace = new Trace(traced);
        this.faults = new Faults(random);
        this.network = new Network(this);
        this.acquirer = new Acquirer(this);
        this.witness = new Witness(this);
        for (String name : Topology.REGIONS) {
            regions.put(name, new Region(name, this));
        }
        this.clients = new Clients(this);
    }

    /** Runs one seed with the protocol as designed. */
    public static Outcome run(long seed) {
        return run(seed, Set.of(), false);
    }

    /** Runs one seed, with the given flaws, keeping the trace if asked. */
    public static Outcome run(long seed, Set<Flaw> flaws, boolean traced) {
        return new Simulation(seed, flaws, traced).execute();
    }

    private Outcome execute() {
        trace("seed %d; faults: %s; flaws: %s", seed, faults, flaws);
        scheduleFaults();
        regions.values().forEach(Region::start);
        witness.start();
        clients.start();
        while (!queue.isEmpty() && queue.peek().atMillis() <= Timings.END_MILLIS) {
            Event event = queue.poll();
            now = event.atMillis();
            event.action().run();
            if (++events > Timings.MAX_EVENTS) {
                finding("the run needed more than " + Timings.MAX_EVENTS + " events");
                break;
            }
        }
        now = Timings.END_MILLIS;
        List<Violation> violations = Invariants.check(this);
        trace("end: %d payments, %d approved, %d charges, %d violations", clients.started(), clients.acks().size(),
                acquirer.charges().size(), violations.size());
        return new Outcome(seed, flaws, faults.toString(), violations, figures(), trace.lines());
    }

    private void scheduleFaults() {
        for (Faults.Window partition : faults.partitions) {
            at(partition.startMillis(), () -> trace("partition between the regions"));
            at(partition.endMillis(), () -> trace("partition healed"));
        }
        for (Faults.Failure failure : faults.failures) {
            Region region = regions.get(failure.region());
            if (failure.kind() == Faults.FailureKind.REGION_LOSS) {
                at(failure.window().startMillis(), region::lose);
                at(failure.window().endMillis(), region::comeBack);
            } else {
                at(failure.window().startMillis(), () -> trace("region %s isolated from the other region and the witness", failure.region()));
                at(failure.window().endMillis(), () -> trace("region %s's isolation healed", failure.region()));
            }
        }
    }

    // ---- the clock

    long now() {
        return now;
    }

    void schedule(long delayMillis, Runnable action) {
        at(now + delayMillis, action);
    }

    private void at(long atMillis, Runnable action) {
        queue.add(new Event(atMillis, order++, action));
    }

    /** Runs {@code action} every {@code periodMillis}, the first time after a random phase. */
    void every(long periodMillis, Runnable action) {
        schedule(random.nextLong(1, periodMillis + 1), new Runnable() {
            @Override
            public void run() {
                action.run();
                schedule(periodMillis, this);
            }
        });
    }

    // ---- the parties

    RandomGenerator random() {
        return random;
    }

    Faults faults() {
        return faults;
    }

    Network network() {
        return network;
    }

    Acquirer acquirer() {
        return acquirer;
    }

    Witness witness() {
        return witness;
    }

    Clients clients() {
        return clients;
    }

    Region region(String name) {
        return regions.get(name);
    }

    Node node(String name) {
        return switch (name) {
            case Topology.ACQUIRER -> acquirer;
            case Topology.WITNESS -> witness;
            case Topology.CLIENTS -> clients;
            default -> regions.get(name);
        };
    }

    boolean flawed(Flaw flaw) {
        return flaws.contains(flaw);
    }

    // ---- what the parties report

    void trace(String format, Object... args) {
        trace.add(now, format, args);
    }

    /** Something a party found that its own checks say cannot be: a violation of the run. */
    void finding(String what) {
        if (!findings.contains(what)) {
            findings.add(what);
            trace("FINDING: %s", what);
        }
    }

    void crashed() {
        crashes++;
    }

    void recorded(String how) {
        recordedBy.merge(how, 1, Integer::sum);
    }

    /** The standby of a shard held everything its primary in {@code primaryRegion} had: it was streaming then. */
    void standbyCaughtUp(String shard, String primaryRegion) {
        caughtUp.computeIfAbsent(shard + "|" + primaryRegion, k -> new TreeSet<>()).add(now);
    }

    /** Whether the standby of a shard whose primary was in {@code primaryRegion} was caught up at some moment in [from, to]. */
    boolean standbyCaughtUpBetween(String shard, String primaryRegion, long fromMillis, long toMillis) {
        NavigableSet<Long> moments = caughtUp.get(shard + "|" + primaryRegion);
        Long latest = moments == null ? null : moments.floor(toMillis);
        return latest != null && latest >= fromMillis;
    }

    void onRewind(String region, ShardCopy copy, int forkIndex) {
        rewoundRecords += copy.size() - forkIndex;
    }

    /** A standby was promoted: note which approved payments of its shard it lacks, for the RPO check. */
    void onPromoted(String region, ShardCopy copy, int knownMissing) {
        List<Clients.Ack> missing = new ArrayList<>();
        for (Clients.Ack ack : clients.acks().values()) {
            if (Topology.shardOf(ack.merchant()).equals(copy.shard) && !copy.hasPayment(ack.paymentId())) {
                missing.add(ack);
            }
        }
        promotions.add(new Promotion(copy.shard, region, now, knownMissing, List.copyOf(missing)));
    }

    List<Promotion> promotions() {
        return Collections.unmodifiableList(promotions);
    }

    List<String> findings() {
        return Collections.unmodifiableList(findings);
    }

    private Outcome.Figures figures() {
        Faults.Failure failure = faults.failures.isEmpty() ? null : faults.failures.getFirst();
        long toPromotion = -1;
        long toFirstApproval = -1;
        long toLastApproval = -1;
        if (failure != null) {
            long start = failure.window().startMillis();
            Promotion first = promotions.stream()
                    .filter(p -> p.atMillis() >= start && Topology.groupOf(p.shard()).equals(failure.region()))
                    .findFirst().orElse(null);
            if (first != null) {
                toPromotion = first.atMillis() - start;
                List<Clients.Ack> failedOver = clients.acks().values().stream()
                        .filter(a -> Topology.merchant(a.merchant()).home().equals(failure.region())).toList();
                toFirstApproval = failedOver.stream().filter(a -> a.atMillis() >= first.atMillis())
                        .mapToLong(a -> a.atMillis() - start).min().orElse(-1);
                toLastApproval = failedOver.stream()
                        .filter(a -> a.firstSentAtMillis() >= start && a.firstSentAtMillis() < first.atMillis())
                        .mapToLong(a -> a.atMillis() - start).max().orElse(-1);
            }
        }
        int lostAtPromotion = promotions.stream().mapToInt(p -> p.missing().size()).sum();
        int knownMissing = promotions.stream().mapToInt(Promotion::knownMissing).sum();
        String drawn = faults.failures.isEmpty() ? "none" : String.join(", ",
                faults.failures.stream().map(f -> f.kind() + " " + f.region()).toList());
        return new Outcome.Figures(clients.started(), clients.acks().size(), clients.gaveUp(), acquirer.charges().size(),
                crashes, drawn, promotions.size(), toPromotion, toFirstApproval, toLastApproval, lostAtPromotion,
                recordedBy.getOrDefault("reconciliation", 0), recordedBy.getOrDefault("inquiry", 0), knownMissing,
                rewoundRecords, events);
    }
}
