package dev.nightjar.transaction.payment;

/**
 * Where a payment is in its life. {@link #apiName()} is what merchants see; the two in-flight states
 * show as {@code pending} because their outcome is not known yet.
 */
public enum PaymentStatus {
    /** Recorded; the acquirer has been or is about to be asked. */
    AUTHORIZING("pending", false),
    /** Funds held, waiting for a (manual) capture. */
    AUTHORIZED("authorized", false),
    CAPTURED("captured", false),
    DECLINED("declined", true),
    /** The acquirer's answer is not known yet; resolved later without a double charge. */
    PENDING("pending", false),
    /** Held by risk until a reviewer approves or rejects it. */
    REQUIRES_REVIEW("requires_review", false),
    CANCELED("canceled", true),
    REFUNDED("refunded", true),
    /** A technical failure; final, nothing is held. */
    FAILED("failed", true);

    private final String apiName;
    private final boolean terminal;

    PaymentStatus(String apiName, boolean terminal) {
        this.apiName = apiName;
        this.terminal = terminal;
    }

    public String apiName() {
        return apiName;
    }

    /** True when no further transition is possible. */
    public boolean isTerminal() {
        return terminal;
    }
}
