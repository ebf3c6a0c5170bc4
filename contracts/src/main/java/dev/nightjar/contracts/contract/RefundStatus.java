package dev.nightjar.contracts.contract;

/** A refund's status as merchants see it ({@link RefundObject}). */
public enum RefundStatus implements WireValue {
    /** Reserved against the payment; the acquirer's answer is not known yet. */
    PENDING,
    SUCCEEDED,
    FAILED;

    public static RefundStatus of(String wire) {
        return WireValue.parse(RefundStatus.class, wire);
    }
}
