package dev.nightjar.contracts.event;

import dev.nightjar.contracts.contract.AcquirerOutcome;

/**
 * An acquirer's answer to one attempt of an authorization (or sale), capture, void or refund, on
 * {@code auth_responses}. One per attempt: a failed attempt may be followed by another at the next acquirer,
 * so only an approved or declined one says the operation's outcome (nothing fails over from a decision).
 * {@code authorizationCode} and {@code captured} (a sale the acquirer captured at once) are set on approved
 * authorizations; events written before they existed read as null and false.
 */
public record AuthResponseEvent(
        String paymentId,
        String merchantId,
        String operation,
        String acquirer,
        String networkReference,
        AcquirerOutcome outcome,
        String declineCode,
        long amountMinor,
        String currency,
        String authorizationCode,
        boolean captured) {

    /** Whether this attempt's answer is its operation's outcome: approved or declined, never to be sent elsewhere. */
    public boolean decided() {
        return outcome == AcquirerOutcome.APPROVED || outcome == AcquirerOutcome.DECLINED;
    }
}
