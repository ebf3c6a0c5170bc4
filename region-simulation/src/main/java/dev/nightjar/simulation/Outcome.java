package dev.nightjar.simulation;

import java.util.List;
import java.util.Set;

/**
 * What one run of the simulation came to: its seed and flaws, the faults the seed drew, the invariants it broke
 * (none, for the protocol as designed), what it measured, and its trace when one was asked for.
 */
public record Outcome(long seed, Set<Flaw> flaws, String faults, List<Violation> violations, Figures figures,
                      List<String> trace) {

    public Outcome {
        flaws = Set.copyOf(flaws);
        violations = List.copyOf(violations);
        trace = List.copyOf(trace);
    }

    public boolean passed() {
        return violations.isEmpty();
    }

    /**
     * What a run measured, in simulated time.
     *
     * @param failures                       the region failures the seed drew ({@code none}, {@code REGION_LOSS a}, ...)
     * @param failureToPromotionMillis       from the first failure to the first promotion of the failed region's
     *                                       shards, or -1
     * @param failureToFirstApprovalMillis   from the first failure to the first payment of the failed region's
     *                                       merchants approved after that promotion, or -1
     * @param failureToLastApprovalMillis    from the first failure to the approval of the last of the failed region's
     *                                       payments begun between the failure and the promotion, or -1: the longest
     *                                       a client of a failed-over merchant waited
     * @param lostAtPromotion                approved payments a promoted standby did not have (recovered afterwards)
     * @param knownMissingFromMirror         entries a promoted standby knew it lacked from the mirrored topic
     */
    public record Figures(int payments, int acknowledged, int gaveUp, int charges, int crashes, String failures,
                          int promotions, long failureToPromotionMillis, long failureToFirstApprovalMillis,
                          long failureToLastApprovalMillis,
                          int lostAtPromotion, int recoveredByReconciliation, int recoveredByInquiry,
                          int knownMissingFromMirror, int rewoundRecords, long events) {
    }
}
