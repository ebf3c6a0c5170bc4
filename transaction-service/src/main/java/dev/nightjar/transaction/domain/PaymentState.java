package dev.nightjar.transaction.domain;

import dev.nightjar.contracts.contract.PaymentStatus;

/**
 * Where a payment is in its life, finer than what merchants see ({@link #shown()}, a {@link PaymentStatus}):
 * the two states of an authorization in flight show as {@code pending} because their outcome is not known yet;
 * the two states of a capture or cancel in flight show as {@code authorized}, because the funds stay held until
 * the acquirer's answer is applied.
 *
 * <p>{@link #SETTLED} is not final: the acquirer has paid the capture out, and the payment can still be
 * refunded (in part, staying settled; in full, becoming refunded), as a captured one can.
 */
public enum PaymentState {
    /**
     * Accepted asynchronously and stored; waiting on {@code payment_requests} for risk and the acquirer. Nothing
     * was sent anywhere yet, so nothing is held.
     */
    RECEIVED(PaymentStatus.RECEIVED, false),
    /** Recorded; the acquirer has been or is about to be asked. */
    AUTHORIZING(PaymentStatus.PENDING, false),
    /** Funds held, waiting for a (manual) capture. */
    AUTHORIZED(PaymentStatus.AUTHORIZED, false),
    /** A capture was claimed and sent to the acquirer; no other capture or cancel may start until it is applied. */
    CAPTURING(PaymentStatus.AUTHORIZED, false),
    /** A cancel (void) was claimed and sent to the acquirer; no capture or other cancel may start until it is applied. */
    CANCELING(PaymentStatus.AUTHORIZED, false),
    CAPTURED(PaymentStatus.CAPTURED, false),
    /** The acquirer settled the capture (paid it out in a settlement batch); still refundable. */
    SETTLED(PaymentStatus.SETTLED, false),
    DECLINED(PaymentStatus.DECLINED, true),
    /** The acquirer's answer is not known yet; resolved later without a double charge. */
    PENDING(PaymentStatus.PENDING, false),
    /** Held by risk until a reviewer approves or rejects it. */
    REQUIRES_REVIEW(PaymentStatus.REQUIRES_REVIEW, false),
    CANCELED(PaymentStatus.CANCELED, true),
    REFUNDED(PaymentStatus.REFUNDED, true),
    /** A technical failure; final, nothing is held. */
    FAILED(PaymentStatus.FAILED, true);

    private final PaymentStatus shown;
    private final boolean terminal;

    PaymentState(PaymentStatus shown, boolean terminal) {
        this.shown = shown;
        this.terminal = terminal;
    }

    /** The status merchants see. */
    public PaymentStatus shown() {
        return shown;
    }

    /** The status merchants see, by its name. */
    public String apiName() {
        return shown.wire();
    }

    /** True when no further transition is possible. */
    public boolean isTerminal() {
        return terminal;
    }

    /** True for the states that hold a capture or cancel in flight at the acquirer. */
    public boolean holdsAnOperation() {
        return this == CAPTURING || this == CANCELING;
    }

    /** True while the authorization's outcome is not known: sent (or about to be) and its answer not applied. */
    public boolean awaitsTheAuthorization() {
        return this == AUTHORIZING || this == PENDING;
    }

    /** True while the acquirer's answer to something sent is not applied yet. */
    public boolean awaitsTheAcquirer() {
        return awaitsTheAuthorization() || holdsAnOperation();
    }

    /** The recovery path's work: an answer not applied yet, or an accepted payment not processed yet. */
    public boolean unresolved() {
        return this == RECEIVED || awaitsTheAcquirer();
    }

    /**
     * The states merchants see as {@code shown} ({@code pending} is authorizing or pending; {@code authorized}
     * includes a capture or cancel in flight).
     */
    public static java.util.Set<PaymentState> shownAs(PaymentStatus shown) {
        java.util.Set<PaymentState> states = java.util.EnumSet.noneOf(PaymentState.class);
        for (PaymentState state : values()) {
            if (state.shown == shown) {
                states.add(state);
            }
        }
        return states;
    }

    /** True for the states a refund may start from: the money was taken and not all of it given back. */
    public boolean refundable() {
        return this == CAPTURED || this == SETTLED;
    }

    /** The status as a 409 names it: the API's name, and what is in flight when that is why. */
    public String describe() {
        return switch (this) {
            case CAPTURING -> apiName() + " (a capture is in progress)";
            case CANCELING -> apiName() + " (a cancel is in progress)";
            default -> apiName();
        };
    }
}
