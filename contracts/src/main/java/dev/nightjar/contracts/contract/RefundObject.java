package dev.nightjar.contracts.contract;

/** A refund as merchants see it (API.md): {@code succeeded}, {@code pending} or {@code failed}. */
public record RefundObject(
        String id,
        String object,
        String payment,
        long amount,
        String currency,
        RefundStatus status,
        String reason,
        String failureReason,
        long created) {
}
