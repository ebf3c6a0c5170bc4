package dev.nightjar.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The invariant checker can fail: each case runs the simulation with one rule of the protocol broken, finds a seed
 * where the checker reports what that rule prevents, and shows the same seed passing with the rule kept.
 */
class CheckerCatchesBrokenProtocolsTest {

    private static final int SEEDS_TO_TRY = 300;

    /** Each broken rule, and what the checker must call its breakage. */
    static Stream<Arguments> brokenRules() {
        return Stream.of(
                // Retries charge twice.
                Arguments.of(Flaw.RETRY_WITHOUT_IDEMPOTENCY, Violation.Kind.CHARGED_TWICE),
                // The isolated region goes on approving payments after the other has reconciled.
                Arguments.of(Flaw.PROMOTE_WITHOUT_FENCING, Violation.Kind.ACKNOWLEDGED_PAYMENT_LOST),
                Arguments.of(Flaw.REPLICA_DROPS_ENTRY, Violation.Kind.HASH_CHAIN_BROKEN),
                Arguments.of(Flaw.SKIP_RECONCILIATION, Violation.Kind.CHARGE_NOT_RECORDED_ONCE),
                // The lag is not bounded during a partition, so "the last few seconds" misses charges.
                Arguments.of(Flaw.RECONCILE_FIXED_WINDOW, Violation.Kind.CHARGE_NOT_RECORDED_ONCE),
                Arguments.of(Flaw.KEEP_DIVERGED_TAIL, Violation.Kind.LEDGERS_DIVERGE),
                // A region lost right after the other came back: the copy promoted has not rewound.
                Arguments.of(Flaw.PROMOTE_STALE_STANDBY, Violation.Kind.LEDGERS_DIVERGE),
                Arguments.of(Flaw.UNBALANCED_ENTRY, Violation.Kind.LEDGER_UNBALANCED),
                Arguments.of(Flaw.LAGGING_STANDBY, Violation.Kind.LOST_OUTSIDE_RPO_WINDOW));
    }

    @ParameterizedTest(name = "{0} is caught as {1}")
    @MethodSource("brokenRules")
    void aBrokenRuleIsCaughtOnSomeSeedThatPassesWithTheRuleKept(Flaw flaw, Violation.Kind expected) {
        Outcome broken = null;
        for (long seed = 1; seed <= SEEDS_TO_TRY && broken == null; seed++) {
            Outcome outcome = Simulation.run(seed, Set.of(flaw), false);
            if (outcome.violations().stream().anyMatch(v -> v.kind() == expected)) {
                broken = outcome;
            }
        }
        assertThat(broken).as("a seed in 1..%d where %s is caught as %s", SEEDS_TO_TRY, flaw, expected).isNotNull();
        System.out.println(flaw + " caught at seed " + broken.seed() + ": " + broken.violations());
        assertThat(Simulation.run(broken.seed()).violations()).as("seed %d with the protocol intact", broken.seed()).isEmpty();
    }

    /**
     * Seed 1143 found the flaw the design's first version had: region b isolated, its merchants moved to a, and a
     * lost during the promotion, before it had reconciled; b took its merchants back from its own replay point, which
     * was by then a's epoch entry, and never booked a payment it had approved while isolated (and had rewound away).
     * One seed in 6,000 meets it, too rare to search for here.
     */
    @Test
    void aPromotionLostBeforeItReconciledLeavesTheReconciliationToTheNextOwner() {
        Outcome forgetful = Simulation.run(1143, Set.of(Flaw.FORGET_UNFINISHED_RECONCILIATION), false);
        assertThat(forgetful.violations()).extracting(Violation::kind).contains(Violation.Kind.ACKNOWLEDGED_PAYMENT_LOST);
        assertThat(Simulation.run(1143).violations()).isEmpty();
    }
}
