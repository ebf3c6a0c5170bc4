package dev.nightjar.transaction.payment;

/**
 * Where a payment is in its life. {@link #apiName()} is what merchants see: the two states of an
 * authorization in flight show as {@code pending} because their outcome is not known yet; the two states
 * of a capture or cancel in flight show as {@code authorized}, because the funds stay held until the
 * acquirer's answer is applied.
 *
 * <p>{@link #SETTLED} is not final: the acquirer has paid the capture out, and the payment can still be
 * refunded (in part, staying settled; in full, becoming refunded), as a captured one can.
 */
public enum PaymentStatus {
    /** Recorded; the acquirer has been or is about to be asked. */
    AUTHORIZING("pending", false),
    /** Funds held, waiting for a (manual) capture. */
    AUTHORIZED("authorized", false),
    /** A capture was claimed and sent to the acquirer; no other capture or cancel may start until it is applied. */
    CAPTURING("authorized", false),
    /** A cancel (void) was claimed and sent to the acquirer; no capture or other cancel may start until it is applied. */
    CANCELING("authorized", false),
    CAPTURED("captured", false),
    /** The acquirer settled the capture (paid it out in a settlement batch); still refundable. */
    SETTLED("settled", false),
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

    /** True for the states that hold a capture or cancel in flight at the acquirer. */
    public boolean holdsAnOperation() {
        return this == CAPTURING || this == CANCELING;
    }

    /** True while the acquirer's answer to something sent is not applied yet: the recovery path's work. */
    public boolean awaitsTheAcquirer() {
        return this == AUTHORIZING || this == PENDING || holdsAnOperation();
    }

    /**
     * The states merchants see as {@code apiName} ({@code pending} is authorizing or pending; {@code authorized}
     * includes a capture or cancel in flight); empty for a name no state shows.
     */
    public static java.util.Set<PaymentStatus> shownAs(String apiName) {
        java.util.Set<PaymentStatus> states = java.util.EnumSet.noneOf(PaymentStatus.class);
        for (PaymentStatus status : values()) {
            if (status.apiName.equals(apiName)) {
                states.add(status);
            }
        }
        return states;
    }

    /** Every status merchants can see, each once, in declaration order. */
    public static java.util.List<String> apiNames() {
        return java.util.Arrays.stream(values()).map(PaymentStatus::apiName).distinct().toList();
    }

    /** True for the states a refund may start from: the money was taken and not all of it given back. */
    public boolean refundable() {
        return this == CAPTURED || this == SETTLED;
    }

    /** The status as a 409 names it: the API's name, and what is in flight when that is why. */
    public String describe() {
        return switch (this) {
            case CAPTURING -> apiName + " (a capture is in progress)";
            case CANCELING -> apiName + " (a cancel is in progress)";
            default -> apiName;
        };
    }
}
