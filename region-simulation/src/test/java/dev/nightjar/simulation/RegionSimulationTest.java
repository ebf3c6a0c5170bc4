package dev.nightjar.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Runs the two-region simulation over many seeds and holds every run to the invariants. {@code -Dsimulation.seed=N}
 * runs (and traces) that seed alone; {@code -Dsimulation.seeds=N} sets how many seeds, from
 * {@code -Dsimulation.firstSeed} (1 unless set). A failing seed is replayed with its trace, which is written to
 * {@code target/simulation/seed-N.trace}; the summary goes to {@code target/simulation/summary.txt}.
 */
class RegionSimulationTest {

    private static final int DEFAULT_SEEDS = 3_000;
    private static final Path OUTPUT = Path.of("target", "simulation");

    @Test
    void everySeedKeepsEveryInvariant() throws IOException {
        String single = System.getProperty("simulation.seed", "").trim();
        List<Long> seeds = single.isEmpty()
                ? LongStream.range(0, Integer.getInteger("simulation.seeds", DEFAULT_SEEDS))
                        .map(i -> i + Long.getLong("simulation.firstSeed", 1)).boxed().toList()
                : List.of(Long.parseLong(single));
        Files.createDirectories(OUTPUT);

        long startedNanos = System.nanoTime();
        Summary summary = new Summary();
        List<Outcome> failed = new ArrayList<>();
        for (long seed : seeds) {
            Outcome outcome = Simulation.run(seed);
            summary.add(outcome);
            if (!outcome.passed()) {
                failed.add(outcome);
            }
        }
        long elapsedMillis = (System.nanoTime() - startedNanos) / 1_000_000;
        String report = summary.describe(seeds.size(), elapsedMillis, failed);
        System.out.println(report);
        Files.writeString(OUTPUT.resolve("summary.txt"), report);

        if (!single.isEmpty()) {
            Outcome traced = replay(seeds.getFirst());
            traced.trace().forEach(System.out::println);
        }
        if (!failed.isEmpty()) {
            Outcome first = replay(failed.getFirst().seed());
            List<String> trace = first.trace();
            throw new AssertionError("seeds failed: " + failed.stream().map(Outcome::seed).toList()
                    + "\nseed " + first.seed() + " (" + first.faults() + ") broke:\n  "
                    + String.join("\n  ", first.violations().stream().map(Violation::toString).toList())
                    + "\nreplay it: ./mvnw -pl region-simulation test -Dsimulation.seed=" + first.seed()
                    + "\nfull trace: " + OUTPUT.resolve("seed-" + first.seed() + ".trace").toAbsolutePath()
                    + "\nlast lines of the trace:\n" + String.join("\n", trace.subList(Math.max(0, trace.size() - 60), trace.size())));
        }
        if (single.isEmpty() && seeds.size() >= 200) {
            // A simulation whose faults never fire proves nothing: the seeds must reach every path the design has.
            assertThat(summary.promotionsAfter(Faults.FailureKind.REGION_LOSS)).as("region losses failed over").isPositive();
            assertThat(summary.promotionsAfter(Faults.FailureKind.ISOLATION)).as("isolations failed over").isPositive();
            assertThat(summary.lostAtPromotion).as("approved payments a promoted standby lacked").isPositive();
            assertThat(summary.recoveredByReconciliation).as("charges recovered by reconciliation").isPositive();
            assertThat(summary.knownMissingFromMirror).as("gaps the mirrored chain revealed").isPositive();
            assertThat(summary.rewoundRecords).as("records a former primary rewound").isPositive();
            assertThat(summary.crashes).as("process crashes between charge and record").isPositive();
        }
    }

    private static Outcome replay(long seed) throws IOException {
        Outcome traced = Simulation.run(seed, Set.of(), true);
        Files.write(OUTPUT.resolve("seed-" + seed + ".trace"), traced.trace());
        return traced;
    }

    /** Totals over the seeds, and the recovery times the failures gave. */
    private static final class Summary {
        long payments;
        long acknowledged;
        long gaveUp;
        long charges;
        long crashes;
        long events;
        long lostAtPromotion;
        long recoveredByReconciliation;
        long recoveredByInquiry;
        long knownMissingFromMirror;
        long rewoundRecords;
        final List<Long> lossToPromotion = new ArrayList<>();
        final List<Long> lossToFirstApproval = new ArrayList<>();
        final List<Long> lossToLastApproval = new ArrayList<>();
        final List<Long> isolationToPromotion = new ArrayList<>();
        final List<Long> isolationToFirstApproval = new ArrayList<>();
        final List<Long> isolationToLastApproval = new ArrayList<>();
        int losses;
        int isolations;
        int twoFailures;

        void add(Outcome outcome) {
            Outcome.Figures f = outcome.figures();
            payments += f.payments();
            acknowledged += f.acknowledged();
            gaveUp += f.gaveUp();
            charges += f.charges();
            crashes += f.crashes();
            events += f.events();
            lostAtPromotion += f.lostAtPromotion();
            recoveredByReconciliation += f.recoveredByReconciliation();
            recoveredByInquiry += f.recoveredByInquiry();
            knownMissingFromMirror += f.knownMissingFromMirror();
            rewoundRecords += f.rewoundRecords();
            if (f.failures().contains(",")) {
                twoFailures++;
            }
            if (f.failures().startsWith(Faults.FailureKind.REGION_LOSS.name())) {
                losses++;
                addIfMeasured(lossToPromotion, f.failureToPromotionMillis());
                addIfMeasured(lossToFirstApproval, f.failureToFirstApprovalMillis());
                addIfMeasured(lossToLastApproval, f.failureToLastApprovalMillis());
            } else if (f.failures().startsWith(Faults.FailureKind.ISOLATION.name())) {
                isolations++;
                addIfMeasured(isolationToPromotion, f.failureToPromotionMillis());
                addIfMeasured(isolationToFirstApproval, f.failureToFirstApprovalMillis());
                addIfMeasured(isolationToLastApproval, f.failureToLastApprovalMillis());
            }
        }

        int promotionsAfter(Faults.FailureKind kind) {
            return kind == Faults.FailureKind.REGION_LOSS ? lossToPromotion.size() : isolationToPromotion.size();
        }

        String describe(int seeds, long elapsedMillis, List<Outcome> failed) {
            StringBuilder out = new StringBuilder();
            out.append(String.format(Locale.ROOT, "region simulation: %d seeds in %.1f s, %d failed%s%n", seeds,
                    elapsedMillis / 1000.0, failed.size(), failed.isEmpty() ? "" : ": " + failed.stream().map(Outcome::seed).toList()));
            out.append(String.format(Locale.ROOT, "  payments %d, approved %d, given up %d, charges %d, process crashes %d, events %d%n",
                    payments, acknowledged, gaveUp, charges, crashes, events));
            out.append(String.format(Locale.ROOT, "  first failures: region losses %d (failed over in %d), isolations %d"
                    + " (failed over in %d); seeds where the surviving region failed next %d%n",
                    losses, lossToPromotion.size(), isolations, isolationToPromotion.size(), twoFailures));
            out.append(String.format(Locale.ROOT, "  approved payments a promoted standby lacked %d; recovered by reconciliation %d,"
                    + " by inquiry %d; entries known missing from the mirror %d; records rewound %d%n",
                    lostAtPromotion, recoveredByReconciliation, recoveredByInquiry, knownMissingFromMirror, rewoundRecords));
            out.append("  region loss to promotion: ").append(spread(lossToPromotion)).append('\n');
            out.append("  region loss to first approval at the new home: ").append(spread(lossToFirstApproval)).append('\n');
            out.append("  region loss to the last approval of a payment begun before the promotion: ")
                    .append(spread(lossToLastApproval)).append('\n');
            out.append("  isolation to promotion: ").append(spread(isolationToPromotion)).append('\n');
            out.append("  isolation to first approval at the new home: ").append(spread(isolationToFirstApproval)).append('\n');
            out.append("  isolation to the last approval of a payment begun before the promotion: ")
                    .append(spread(isolationToLastApproval)).append('\n');
            for (Outcome outcome : failed) {
                out.append("  seed ").append(outcome.seed()).append(": ").append(outcome.violations()).append('\n');
            }
            return out.toString();
        }

        private static void addIfMeasured(List<Long> values, long millis) {
            if (millis >= 0) {
                values.add(millis);
            }
        }

        private static String spread(List<Long> millis) {
            if (millis.isEmpty()) {
                return "none";
            }
            List<Long> sorted = millis.stream().sorted().toList();
            return String.format(Locale.ROOT, "min %.1f s, median %.1f s, p99 %.1f s, max %.1f s (%d runs)",
                    sorted.getFirst() / 1000.0, sorted.get(sorted.size() / 2) / 1000.0,
                    sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.99) - 1)) / 1000.0,
                    sorted.getLast() / 1000.0, sorted.size());
        }
    }
}
