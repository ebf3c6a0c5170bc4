package dev.nightjar.common.event;

/** An acquirer's answer to an authorization, capture, void or refund, on {@code auth_responses}. */
public record AuthResponseEvent(
        String paymentId,
        String merchantId,
        String operation,
        String acquirer,
        String networkReference,
        String outcome,
        String declineCode,
        long amountMinor,
        String currency) {
}
