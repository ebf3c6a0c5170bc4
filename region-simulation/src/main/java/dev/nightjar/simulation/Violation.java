package dev.nightjar.simulation;

/** One invariant a run broke, and the detail that shows it. */
public record Violation(Kind kind, String detail) {

    /** The invariants {@link Invariants} checks after every run. */
    public enum Kind {
        /** The acquirer charged one merchant's Idempotency-Key more than once. */
        CHARGED_TWICE,
        /** A client was told two different payment ids for one Idempotency-Key. */
        KEY_ACKNOWLEDGED_AS_TWO_PAYMENTS,
        /** An approved payment is not in the surviving ledger at the end. */
        ACKNOWLEDGED_PAYMENT_LOST,
        /**
         * A promoted standby lacked a payment approved while it was streaming, the link then up for the whole RPO
         * bound after it.
         */
        LOST_OUTSIDE_RPO_WINDOW,
        /** A charge at the acquirer is not booked exactly once, with its amount, in the surviving ledger. */
        CHARGE_NOT_RECORDED_ONCE,
        /** The surviving ledger books a capture the acquirer never charged. */
        RECORDED_WITHOUT_CHARGE,
        /** A payment still waits for the acquirer at the end. */
        PAYMENT_NOT_FINAL,
        /** A shard's two copies do not end with the same chain head. */
        LEDGERS_DIVERGE,
        /** Debits and credits differ, for an entry or overall, in some currency. */
        LEDGER_UNBALANCED,
        /** A hash chain does not verify from its genesis. */
        HASH_CHAIN_BROKEN,
        /** A region found, while running, something its own checks say cannot be (fail loudly). */
        ASSERTION
    }

    @Override
    public String toString() {
        return kind + ": " + detail;
    }
}
