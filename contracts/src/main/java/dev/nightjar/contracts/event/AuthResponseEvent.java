package dev.nightjar.contracts.event;

/** An acquirer's answer to an authorization, capture, void or refund, on {@code auth_responses}. */
public record AuthResponseEvent(
        String paymentId,
        String merchantId,
        String operation,
        String acquirer,
        String networkReference,
        dev.nightjar.contracts.contract.AcquirerOutcome outcome,
        String declineCode,
        long amountMinor,
        String currency) {
}
