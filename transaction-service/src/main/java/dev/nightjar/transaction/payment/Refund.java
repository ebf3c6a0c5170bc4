package dev.nightjar.transaction.payment;

import java.time.Instant;

/** Money going back to the card, part or all of what a payment captured. Its own id, status and history. */
public record Refund(
        String id,
        String paymentId,
        String merchantId,
        long amountMinor,
        String currency,
        String reason,
        Status status,
        String failureReason,
        String networkReference,
        String idempotencyKey,
        Instant createdAt,
        Instant updatedAt) {

    /** Where a refund is; merchants see the lower-case names. */
    public enum Status {
        /** Reserved against the payment; the acquirer's answer is not known yet. */
        PENDING,
        SUCCEEDED,
        FAILED;

        public String apiName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Refund {
        if (amountMinor <= 0) {
            throw new IllegalStateException("refund amount must be positive: " + amountMinor);
        }
    }

    public Refund finished(Status outcome, String failure, String network, Instant at) {
        if (status != Status.PENDING) {
            throw new IllegalStateException("refund " + id + " is already " + status);
        }
        return new Refund(id, paymentId, merchantId, amountMinor, currency, reason, outcome, failure, network,
                idempotencyKey, createdAt, at);
    }
}
