package dev.nightjar.simulation;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What must hold at the end of every run, whatever the seed drew, checked against the acquirer's records (the
 * evidence of money moved), what clients were told, and both regions' ledgers. The surviving ledger of a shard is
 * its copy in the region that owns it at the end.
 *
 * <ul>
 *   <li>no Idempotency-Key charged twice, and no key approved as two payments;</li>
 *   <li>every approved payment in the surviving ledger; a promoted standby may have lacked one only if it was
 *       approved within {@link Timings#RPO_BOUND_MILLIS} before the promotion, while the link between the regions
 *       was down, or while the standby was not yet streaming again (catching up, or not yet rewound, after the link
 *       came back), and then reconciliation must have recovered it (the previous rule);</li>
 *   <li>every charge booked exactly once, with its amount, in the surviving ledger, and no capture without a charge;</li>
 *   <li>no payment still waiting for the acquirer;</li>
 *   <li>every ledger balanced (per entry and per currency overall, integer minor units), every hash chain verifying
 *       from its genesis, and each shard's two copies ending at the same chain head;</li>
 *   <li>nothing a region's own checks found impossible while it ran.</li>
 * </ul>
 */
public final class Invariants {

    private static final int DETAILS_PER_KIND = 10;

    private Invariants() {
    }

    static List<Violation> check(Simulation sim) {
        Report report = new Report();
        sim.findings().forEach(finding -> report.add(Violation.Kind.ASSERTION, finding));
        chargedAtMostOnce(sim, report);
        sim.clients().conflicts().forEach(conflict -> report.add(Violation.Kind.KEY_ACKNOWLEDGED_AS_TWO_PAYMENTS, conflict));
        Map<String, List<LedgerEntry>> survivingCaptures = survivingCaptures(sim);
        acknowledgedPaymentsKept(sim, survivingCaptures, report);
        lossesWithinRpoWindow(sim, report);
        chargesRecordedOnce(sim, survivingCaptures, report);
        paymentsFinal(sim, report);
        for (String region : Topology.REGIONS) {
            for (String shard : Topology.SHARDS) {
                HashChain chain = sim.region(region).copy(shard).chain();
                balanced(region + "/" + shard, chain, report);
                chain.verify().stream().findFirst().ifPresent(problem ->
                        report.add(Violation.Kind.HASH_CHAIN_BROKEN, region + "/" + shard + ": " + problem));
            }
        }
        converged(sim, report);
        return report.violations();
    }

    /** The copy of a shard in the region that owns it now. */
    static ShardCopy surviving(Simulation sim, String shard) {
        return sim.region(sim.witness().ownership(Topology.groupOf(shard)).owner()).copy(shard);
    }

    private static void chargedAtMostOnce(Simulation sim, Report report) {
        Map<String, List<Acquirer.Charge>> byKey = new LinkedHashMap<>();
        for (Acquirer.Charge charge : sim.acquirer().charges()) {
            byKey.computeIfAbsent(ShardCopy.keyId(charge.merchant(), charge.key()), k -> new ArrayList<>()).add(charge);
        }
        byKey.forEach((key, charges) -> {
            if (charges.size() > 1) {
                report.add(Violation.Kind.CHARGED_TWICE, key + " charged " + charges.size() + " times: "
                        + charges.stream().map(Acquirer.Charge::reference).toList());
            }
        });
    }

    /** Capture entries of every shard's surviving copy, by acquirer reference. */
    private static Map<String, List<LedgerEntry>> survivingCaptures(Simulation sim) {
        Map<String, List<LedgerEntry>> byReference = new HashMap<>();
        for (String shard : Topology.SHARDS) {
            for (LedgerEntry entry : surviving(sim, shard).chain().entries()) {
                if (entry.kind().equals(LedgerEntry.CAPTURE)) {
                    byReference.computeIfAbsent(entry.reference(), r -> new ArrayList<>()).add(entry);
                }
            }
        }
        return byReference;
    }

    private static void acknowledgedPaymentsKept(Simulation sim, Map<String, List<LedgerEntry>> captures, Report report) {
        Set<String> booked = new HashSet<>();
        captures.values().forEach(entries -> entries.forEach(entry -> booked.add(entry.paymentId())));
        for (Clients.Ack ack : sim.clients().acks().values()) {
            if (!booked.contains(ack.paymentId())) {
                report.add(Violation.Kind.ACKNOWLEDGED_PAYMENT_LOST, ack.paymentId() + " (" + ack.merchant() + "/"
                        + ack.key() + ", approved by " + ack.region() + " at " + ack.atMillis() + " ms)");
            }
        }
    }

    /**
     * The RPO bound is a streaming standby's: one that had caught up with its primary since the link last came back,
     * and whose link then stayed up for the bound after the payment was approved, must have had it.
     */
    private static void lossesWithinRpoWindow(Simulation sim, Report report) {
        for (Simulation.Promotion promotion : sim.promotions()) {
            String formerPrimary = Topology.other(promotion.region());
            for (Clients.Ack ack : promotion.missing()) {
                long windowEnd = ack.atMillis() + Timings.RPO_BOUND_MILLIS;
                boolean streaming = sim.standbyCaughtUpBetween(promotion.shard(), formerPrimary,
                        sim.faults().regionsLinkedSince(ack.atMillis()), ack.atMillis());
                if (windowEnd <= promotion.atMillis() && streaming
                        && sim.faults().regionsLinkedThroughout(ack.atMillis(), windowEnd)) {
                    report.add(Violation.Kind.LOST_OUTSIDE_RPO_WINDOW, promotion.shard() + " promoted in "
                            + promotion.region() + " at " + promotion.atMillis() + " ms without " + ack.paymentId()
                            + ", approved at " + ack.atMillis() + " ms while its standby was streaming, with the link up"
                            + " for the " + Timings.RPO_BOUND_MILLIS + " ms after");
                }
            }
        }
    }

    private static void chargesRecordedOnce(Simulation sim, Map<String, List<LedgerEntry>> captures, Report report) {
        Set<String> charged = new HashSet<>();
        for (Acquirer.Charge charge : sim.acquirer().charges()) {
            charged.add(charge.reference());
            List<LedgerEntry> entries = captures.getOrDefault(charge.reference(), List.of());
            if (entries.size() != 1) {
                report.add(Violation.Kind.CHARGE_NOT_RECORDED_ONCE, charge.reference() + " (" + charge.paymentId()
                        + ", charged at " + charge.chargedAtMillis() + " ms from " + charge.chargedBy() + ") is booked "
                        + entries.size() + " times");
                continue;
            }
            LedgerEntry entry = entries.getFirst();
            long receivable = entry.postings().getFirst().amountMinor();
            if (!entry.paymentId().equals(charge.paymentId()) || receivable != charge.amountMinor()) {
                report.add(Violation.Kind.CHARGE_NOT_RECORDED_ONCE, charge.reference() + " charged " + charge.amountMinor()
                        + " for " + charge.paymentId() + " but booked " + receivable + " for " + entry.paymentId());
            }
        }
        captures.forEach((reference, entries) -> {
            if (!charged.contains(reference)) {
                report.add(Violation.Kind.RECORDED_WITHOUT_CHARGE, reference + " booked as " + entries.getFirst().paymentId());
            }
        });
    }

    private static void paymentsFinal(Simulation sim, Report report) {
        for (String shard : Topology.SHARDS) {
            for (WalRecord.IntentRecorded intent : surviving(sim, shard).waitingForAcquirer()) {
                report.add(Violation.Kind.PAYMENT_NOT_FINAL, intent.paymentId() + " (" + intent.reference() + ") on "
                        + shard + " since " + intent.atMillis() + " ms");
            }
        }
    }

    private static void balanced(String where, HashChain chain, Report report) {
        Map<String, long[]> totals = new TreeMap<>();
        for (LedgerEntry entry : chain.entries()) {
            Map<String, Long> perCurrency = new TreeMap<>();
            for (LedgerEntry.Posting posting : entry.postings()) {
                perCurrency.merge(posting.currency(), posting.amountMinor(), Long::sum);
                long[] debitsCredits = totals.computeIfAbsent(posting.currency(), c -> new long[2]);
                debitsCredits[posting.amountMinor() >= 0 ? 0 : 1] += Math.abs(posting.amountMinor());
            }
            perCurrency.forEach((currency, sum) -> {
                if (sum != 0) {
                    report.add(Violation.Kind.LEDGER_UNBALANCED, where + " entry " + entry.sequence() + " is off by "
                            + sum + " " + currency);
                }
            });
        }
        totals.forEach((currency, debitsCredits) -> {
            if (debitsCredits[0] != debitsCredits[1]) {
                report.add(Violation.Kind.LEDGER_UNBALANCED, where + ": debits " + debitsCredits[0] + " " + currency
                        + ", credits " + debitsCredits[1]);
            }
        });
    }

    private static void converged(Simulation sim, Report report) {
        for (String shard : Topology.SHARDS) {
            HashChain a = sim.region("a").copy(shard).chain();
            HashChain b = sim.region("b").copy(shard).chain();
            if (a.size() != b.size() || a.headSequence() != b.headSequence() || !a.headHash().equals(b.headHash())) {
                report.add(Violation.Kind.LEDGERS_DIVERGE, shard + ": a ends at entry " + a.headSequence() + " ("
                        + a.size() + " entries, " + a.headHash().substring(0, 12) + "), b at " + b.headSequence() + " ("
                        + b.size() + " entries, " + b.headHash().substring(0, 12) + ")");
            }
        }
    }

    /** Violations, at most {@link #DETAILS_PER_KIND} spelt out per kind and a count of the rest. */
    private static final class Report {
        private final List<Violation> violations = new ArrayList<>();
        private final Map<Violation.Kind, Integer> counts = new EnumMap<>(Violation.Kind.class);

        void add(Violation.Kind kind, String detail) {
            int count = counts.merge(kind, 1, Integer::sum);
            if (count <= DETAILS_PER_KIND) {
                violations.add(new Violation(kind, detail));
            }
        }

        List<Violation> violations() {
            List<Violation> all = new ArrayList<>(violations);
            counts.forEach((kind, count) -> {
                if (count > DETAILS_PER_KIND) {
                    all.add(new Violation(kind, (count - DETAILS_PER_KIND) + " more"));
                }
            });
            return all;
        }
    }
}
