package dev.nightjar.transaction.domain;

import dev.nightjar.contracts.contract.RefundStatus;
import java.time.Instant;

/** Money going back to the card, part or all of what a payment captured. Its own id, status and history. */
public record Refund(
        String id,
        String paymentId,
        String merchantId,
        long amountMinor,
        String currency,
        String reason,
        RefundStatus status,
        String failureReason,
        String networkReference,
        String idempotencyKey,
        Instant createdAt,
        Instant updatedAt) {

    public Refund {
        if (amountMinor <= 0) {
            throw new IllegalStateException("refund amount must be positive: " + amountMinor);
        }
    }

    public Refund finished(RefundStatus outcome, String failure, String network, Instant at) {
        if (status != RefundStatus.PENDING) {
            throw new IllegalStateException("refund " + id + " is already " + status);
        }
        return new Refund(id, paymentId, merchantId, amountMinor, currency, reason, outcome, failure, network,
                idempotencyKey, createdAt, at);
    }
}
