package dev.nightjar.contracts.contract;

/**
 * A payment's status as merchants see it ({@link PaymentObject}, webhooks, the listing filter). transaction-service
 * has finer states of its own (a capture in flight shows as {@link #AUTHORIZED}, say) and shows each as one of these.
 */
public enum PaymentStatus implements WireValue {
    /** Accepted asynchronously (a {@code 202}) and durably stored; risk and the acquirer have not been asked yet. */
    RECEIVED,
    /** The acquirer's answer is not known yet. */
    PENDING,
    /** Funds held, waiting for a (manual) capture. */
    AUTHORIZED,
    CAPTURED,
    /** The acquirer paid the capture out; still refundable. */
    SETTLED,
    DECLINED,
    /** Held by risk until a reviewer decides. */
    REQUIRES_REVIEW,
    CANCELED,
    REFUNDED,
    /** A technical failure; final, nothing is held. */
    FAILED;

    /** True when the payment can change no more. */
    public boolean isFinal() {
        return this == DECLINED || this == CANCELED || this == REFUNDED || this == FAILED;
    }

    public static PaymentStatus of(String wire) {
        return WireValue.parse(PaymentStatus.class, wire);
    }
}
