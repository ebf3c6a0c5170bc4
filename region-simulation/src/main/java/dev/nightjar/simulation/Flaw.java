package dev.nightjar.simulation;

/**
 * Deliberate breakages of the protocol, each the negation of one of its rules, so tests can show that the
 * invariant checker catches what the rule prevents. A normal run has none.
 */
public enum Flaw {
    /** Every request, retries included, is a new payment under a new acquirer reference: no Idempotency-Key lookup. */
    RETRY_WITHOUT_IDEMPOTENCY,
    /** The witness promotes the moment a lease lapses, and a region goes on writing without its lease. */
    PROMOTE_WITHOUT_FENCING,
    /** A standby drops one ledger entry it receives and from then on takes whatever comes without checking links. */
    REPLICA_DROPS_ENTRY,
    /** A promoted standby does not reconcile with the acquirer. */
    SKIP_RECONCILIATION,
    /** A former primary keeps what it wrote after the fork instead of rewinding to the fork point. */
    KEEP_DIVERGED_TAIL,
    /** Capture entries leave the fee's posting out. */
    UNBALANCED_ENTRY,
    /** Reconciliation asks the acquirer only for the RPO bound's worth of charges before the promotion's decision. */
    RECONCILE_FIXED_WINDOW,
    /** The witness promotes a standby whatever epoch it follows, one that has not rewound included. */
    PROMOTE_STALE_STANDBY,
    /**
     * A promotion reconciles from its own replay point only, forgetting a reconciliation an earlier promotion of the
     * same timeline began and never finished: the design's first version, before the simulation found seed 1143.
     */
    FORGET_UNFINISHED_RECONCILIATION,
    /** Primaries ship their WAL only every 8 s: a standby further behind than the RPO bound. */
    LAGGING_STANDBY
}
