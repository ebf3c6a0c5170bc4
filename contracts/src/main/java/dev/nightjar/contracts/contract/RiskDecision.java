package dev.nightjar.contracts.contract;

/** What risk-service decides about a payment ({@link RiskContract}). */
public enum RiskDecision implements WireValue {
    /** The payment goes to the acquirer. */
    ALLOW,
    /** The payment waits for a reviewer before it goes to the acquirer. */
    REVIEW,
    /** The payment is refused before it reaches the acquirer. */
    BLOCK;

    public static RiskDecision of(String wire) {
        return WireValue.parse(RiskDecision.class, wire);
    }
}
